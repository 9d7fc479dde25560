DROP TRIGGER IF EXISTS projects_set_updated_at ON projects;
DROP FUNCTION IF EXISTS projects_set_updated_at();
DROP TABLE IF EXISTS projects;
