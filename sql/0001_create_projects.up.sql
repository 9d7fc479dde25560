-- The application's projects, carried over from the service vidb replaces.
-- gen_random_uuid() is built in from PostgreSQL 13 on.
CREATE TABLE projects (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX projects_name_idx ON projects (name);

-- Keeps updated_at current on every UPDATE, whatever the client sends. clock_timestamp(),
-- not now(): an update later in the same transaction still moves it.
CREATE FUNCTION projects_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END;
$$;

CREATE TRIGGER projects_set_updated_at
    BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_set_updated_at();
