-- Projects are looked up by name: a valid index must lead with projects.name.
DO $$
BEGIN
    ASSERT EXISTS (
        SELECT 1
          FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = 'projects'::regclass AND a.attname = 'name' AND i.indisvalid
    ), 'no valid index on projects (name): lookups by name scan the whole table';
END
$$;
