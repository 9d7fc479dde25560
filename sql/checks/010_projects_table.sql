-- The projects table exists (as a table, where the connection's search_path finds it).
DO $$
DECLARE
    kind "char";
BEGIN
    SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = to_regclass('projects');
    ASSERT kind IS NOT NULL, 'table projects does not exist (run vidb migrate?)';
    ASSERT kind IN ('r', 'p'), format('projects is not a table (relkind %s)', kind);
END
$$;
