-- A project can be created and read back: the id is generated and both timestamps set.
-- (vidb rolls this transaction back: the row never becomes visible to anyone.)
DO $$
DECLARE
    new_id uuid;
    got record;
BEGIN
    INSERT INTO projects (name, description) VALUES ('vidb selftest', 'created by vidb selftest')
    RETURNING id INTO new_id;
    ASSERT new_id IS NOT NULL, 'INSERT did not generate an id';

    SELECT * INTO got FROM projects WHERE id = new_id;
    ASSERT FOUND, format('project %s cannot be read back', new_id);
    ASSERT got.name = 'vidb selftest', format('name reads back as %L', got.name);
    ASSERT got.description = 'created by vidb selftest', format('description reads back as %L', got.description);
    ASSERT got.created_at IS NOT NULL, 'created_at was not set';
    ASSERT got.updated_at IS NOT NULL, 'updated_at was not set';
    ASSERT got.created_at = got.updated_at,
        format('a new project must have updated_at = created_at, got %s and %s', got.updated_at, got.created_at);

    -- description is optional; name is not.
    INSERT INTO projects (name) VALUES ('vidb selftest, no description') RETURNING id INTO new_id;
    ASSERT (SELECT description IS NULL FROM projects WHERE id = new_id), 'description must default to NULL';
    BEGIN
        INSERT INTO projects (name) VALUES (NULL);
        RAISE EXCEPTION 'a project without a name was accepted';
    EXCEPTION WHEN not_null_violation THEN
        NULL; -- expected
    END;
END
$$;
