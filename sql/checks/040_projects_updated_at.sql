-- updated_at moves on every UPDATE, even later in the same transaction: the trigger uses
-- clock_timestamp(), not now() (which is fixed for the whole transaction).
DO $$
DECLARE
    new_id uuid;
    first timestamptz;
    created timestamptz;
    moved timestamptz;
BEGIN
    INSERT INTO projects (name) VALUES ('vidb selftest') RETURNING id, updated_at, created_at
    INTO new_id, first, created;
    PERFORM pg_sleep(0.01);
    UPDATE projects SET description = 'updated by vidb selftest' WHERE id = new_id
    RETURNING updated_at INTO moved;
    ASSERT moved > first, format('updated_at did not move on UPDATE (still %s): is the trigger missing?', moved);

    -- Whatever the client sends, the trigger sets it.
    UPDATE projects SET updated_at = '2000-01-01' WHERE id = new_id RETURNING updated_at INTO moved;
    ASSERT moved > first, format('updated_at took the client''s value %s', moved);
    ASSERT (SELECT created_at FROM projects WHERE id = new_id) = created, 'created_at changed on UPDATE';
END
$$;
