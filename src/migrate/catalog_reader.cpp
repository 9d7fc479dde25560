#include "migrate/catalog_reader.h"

#include "migrate/dependency_order.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace vidb::migrate {

namespace {

// The objects every query starts from. $1: the one schema to read ("" = all),
// $2: whether vidb's own tables are included. Unreferenced CTEs are never evaluated.
constexpr const char* k_base = R"SQL(
WITH
ns AS (
  SELECT n.oid, n.nspname, n.nspacl, n.nspowner FROM pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
    AND n.nspname NOT LIKE 'pg\_temp\_%' AND ($1 = '' OR n.nspname = $1)
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid
                    AND e.deptype = 'e')
),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
rel AS (
  SELECT c.oid, c.relkind, c.oid::regclass::text AS name, c.relacl, c.relowner
  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE ($2::boolean OR c.relname NOT IN ('vidb_schema_migrations', 'vidb_migration_progress', 'vidb_migration_lock'))
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
),
typ AS (
  SELECT t.oid, t.typtype, t.oid::regtype::text AS name, t.typacl, t.typowner FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
  WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
),
fn AS (
  SELECT p.oid, p.prokind, p.oid::regprocedure::text AS name, p.proacl, p.proowner
  FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                    AND d.deptype IN ('e', 'i')) -- an extension's, or a range type's constructor
    AND (p.prokind <> 'a' OR (SELECT aggkind FROM pg_aggregate WHERE aggfnoid = p.oid) = 'n')
),
coll AS (
  SELECT co.oid, format('%I.%I', cn.nspname, co.collname) AS name
  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
)
)SQL";

// Types, sequences, functions, tables, their constraints (but foreign keys) and views:
// the objects ordered by dependency. Columns: kind, name, sql, id (classid:objid), rank
// (the tie-break: types first).
constexpr const char* k_creatables = R"SQL(
SELECT 'type', name, format(E'CREATE TYPE %s AS ENUM (\n%s\n);', name,
         (SELECT string_agg('    ' || quote_literal(enumlabel), E',\n' ORDER BY enumsortorder) FROM pg_enum
          WHERE enumtypid = typ.oid)),
       'pg_type:' || oid, 0
FROM typ WHERE typtype = 'e'
UNION ALL
SELECT 'type', typ.name, format('CREATE TYPE %s AS RANGE (SUBTYPE = %s%s%s);', typ.name, format_type(r.rngsubtype, NULL),
         coalesce(', COLLATION = ' || (SELECT name FROM coll WHERE coll.oid = nullif(r.rngcollation, 0)), ''),
         CASE WHEN r.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text ELSE '' END),
       'pg_type:' || typ.oid, 1
FROM typ JOIN pg_range r ON r.rngtypid = typ.oid WHERE typ.typtype = 'r'
UNION ALL
SELECT 'domain', typ.name, format('CREATE DOMAIN %s AS %s%s%s%s%s;', typ.name, format_type(t.typbasetype, t.typtypmod),
         CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
              THEN ' COLLATE ' || (SELECT name FROM coll WHERE coll.oid = t.typcollation) ELSE '' END,
         coalesce(' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), ''),
         CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END,
         coalesce((SELECT string_agg(format(E'\n    CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)), ''
                                     ORDER BY conname::text COLLATE "C")
                   FROM pg_constraint WHERE contypid = t.oid AND contype = 'c'), '')),
       'pg_type:' || typ.oid, 2
FROM typ JOIN pg_type t ON t.oid = typ.oid JOIN pg_type b ON b.oid = t.typbasetype WHERE typ.typtype = 'd'
UNION ALL
SELECT 'type', typ.name, format(E'CREATE TYPE %s AS (\n%s\n);', typ.name,
         (SELECT string_agg(format('    %I %s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                        THEN ' COLLATE ' || (SELECT name FROM coll WHERE coll.oid = a.attcollation) ELSE '' END),
                   E',\n' ORDER BY a.attnum)
          FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)),
       'pg_type:' || typ.oid, 3
FROM typ JOIN pg_type t ON t.oid = typ.oid WHERE typ.typtype = 'c'
UNION ALL
SELECT 'sequence', rel.name, format('CREATE SEQUENCE %s AS %s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s;',
         rel.name, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
         CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END),
       'pg_class:' || rel.oid, 4
FROM rel JOIN pg_sequence s ON s.seqrelid = rel.oid
WHERE rel.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                        AND d.objid = rel.oid AND d.deptype = 'i')
UNION ALL
SELECT CASE prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, name,
       rtrim(pg_get_functiondef(oid), E'\n') || ';', 'pg_proc:' || oid, 5
FROM fn WHERE prokind <> 'a'
UNION ALL
SELECT 'aggregate', fn.name,
       format(E'CREATE AGGREGATE %s.%I(%s) (\n    SFUNC = %s,\n    STYPE = %s%s%s%s%s\n);',
         quote_ident(p.pronamespace::regnamespace::text), p.proname, pg_get_function_identity_arguments(p.oid),
         a.aggtransfn::regproc, format_type(a.aggtranstype, NULL),
         CASE WHEN a.aggfinalfn <> 0 THEN E',\n    FINALFUNC = ' || a.aggfinalfn::regproc::text ELSE '' END,
         CASE WHEN a.aggcombinefn <> 0 THEN E',\n    COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END,
         CASE WHEN a.aggsortop <> 0 THEN E',\n    SORTOP = OPERATOR(' || a.aggsortop::regoperator::text || ')' ELSE '' END,
         coalesce(E',\n    INITCOND = ' || quote_literal(a.agginitval), '')),
       'pg_proc:' || fn.oid, 6
FROM fn JOIN pg_proc p ON p.oid = fn.oid JOIN pg_aggregate a ON a.aggfnoid = fn.oid WHERE fn.prokind = 'a'
UNION ALL
SELECT CASE rel.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, rel.name,
       format(E'CREATE %sVIEW %s%s AS\n%s%s%s;', CASE rel.relkind WHEN 'm' THEN 'MATERIALIZED ' ELSE '' END, rel.name,
         coalesce(' WITH (' || (SELECT string_agg(o, ', ' ORDER BY o COLLATE "C") FROM unnest(c.reloptions) o
                                WHERE o NOT LIKE 'check\_option=%') || ')', ''),
         rtrim(pg_get_viewdef(rel.oid), E'; \n'),
         coalesce((SELECT E'\n  WITH ' || upper(substr(o, 14)) || ' CHECK OPTION' FROM unnest(c.reloptions) o
                   WHERE o LIKE 'check\_option=%'), ''),
         CASE rel.relkind WHEN 'm' THEN E'\n  WITH NO DATA' ELSE '' END),
       'pg_class:' || rel.oid, CASE rel.relkind WHEN 'v' THEN 9 ELSE 10 END
FROM rel JOIN pg_class c ON c.oid = rel.oid WHERE rel.relkind IN ('v', 'm')
UNION ALL
-- Primary key, unique, exclusion and check constraints: ordered with the rest, because a
-- view can depend on a primary key (GROUP BY it, selecting other columns).
SELECT 'constraint', format('%s.%I', rel.name, con.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s;', rel.name, con.conname, pg_get_constraintdef(con.oid)),
       'pg_constraint:' || con.oid, 8
FROM pg_constraint con JOIN rel ON rel.oid = con.conrelid
WHERE con.contype IN ('p', 'u', 'x', 'c') AND con.conislocal AND con.conparentid = 0
)SQL";

// Tables: one row each (the columns come from k_columns).
constexpr const char* k_tables = R"SQL(
SELECT rel.name, 'pg_class:' || rel.oid, c.relpersistence = 'u', c.relispartition,
       (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) FROM pg_inherits i
        WHERE i.inhrelid = rel.oid),
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       (SELECT string_agg(o, ', ' ORDER BY o COLLATE "C") FROM unnest(c.reloptions) o)
FROM rel JOIN pg_class c ON c.oid = rel.oid WHERE rel.relkind IN ('r', 'p')
)SQL";

// The columns a table declares itself (not those it inherits), in their order.
constexpr const char* k_columns = R"SQL(
SELECT rel.name, quote_ident(a.attname),
       format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
               THEN ' COLLATE ' || (SELECT name FROM coll WHERE coll.oid = a.attcollation) ELSE '' END
       || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
               WHEN a.attgenerated = 'v' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') VIRTUAL'
               WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END
       || CASE WHEN a.attidentity IN ('a', 'd') THEN
            ' GENERATED ' || CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END || ' AS IDENTITY'
            || coalesce((SELECT format(' (SEQUENCE NAME %s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s)',
                                   s.seqrelid::regclass, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
                                   CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END)
                         FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
                         WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                           AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i'), '')
          ELSE '' END
       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE rel.relkind IN ('r', 'p')
ORDER BY rel.oid, a.attnum
)SQL";

// What depends on what, with an object's parts (a view's rule, a column default, a
// type's array type, a table's row type) mapped to the object: "classid:objid" pairs.
constexpr const char* k_dependencies = R"SQL(,
canon (classid, objid, pclassid, pobjid) AS (
  SELECT 'pg_type'::regclass::oid, t.typarray, 'pg_type'::regclass::oid, t.oid FROM pg_type t
  WHERE t.typarray <> 0 AND t.typrelid = 0 AND t.oid >= 16384
  UNION ALL
  SELECT 'pg_type'::regclass::oid, c.reltype, 'pg_class'::regclass::oid, c.oid FROM pg_class c
  WHERE c.relkind <> 'c' AND c.reltype <> 0 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_type'::regclass::oid, t.typarray, 'pg_class'::regclass::oid, c.oid FROM pg_class c
  JOIN pg_type t ON t.oid = c.reltype WHERE c.relkind <> 'c' AND t.typarray <> 0 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class'::regclass::oid, c.oid, 'pg_type'::regclass::oid, c.reltype FROM pg_class c
  WHERE c.relkind = 'c' AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_type'::regclass::oid, t.typarray, 'pg_type'::regclass::oid, t.oid FROM pg_class c
  JOIN pg_type t ON t.oid = c.reltype WHERE c.relkind = 'c' AND t.typarray <> 0 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_rewrite'::regclass::oid, r.oid, 'pg_class'::regclass::oid, r.ev_class FROM pg_rewrite r WHERE r.oid >= 16384
  UNION ALL
  SELECT 'pg_attrdef'::regclass::oid, d.oid, 'pg_class'::regclass::oid, d.adrelid FROM pg_attrdef d
  UNION ALL
  SELECT 'pg_constraint'::regclass::oid, con.oid, 'pg_type'::regclass::oid, con.contypid FROM pg_constraint con
  WHERE con.contypid <> 0
)
SELECT DISTINCT coalesce(a.pclassid, d.classid)::regclass::text || ':' || coalesce(a.pobjid, d.objid),
       coalesce(b.pclassid, d.refclassid)::regclass::text || ':' || coalesce(b.pobjid, d.refobjid),
       d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'
FROM pg_depend d
LEFT JOIN canon a ON a.classid = d.classid AND a.objid = d.objid
LEFT JOIN canon b ON b.classid = d.refclassid AND b.objid = d.refobjid
WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384
UNION
SELECT 'pg_class:' || i.inhrelid, 'pg_class:' || i.inhparent, false FROM pg_inherits i
)SQL";

// Everything created once the tables and views exist. Columns: kind, name, sql, rank.
constexpr const char* k_attachments = R"SQL(
SELECT 'sequence owner', rel.name, format('ALTER SEQUENCE %s OWNED BY %s.%I;', rel.name, t.name, a.attname), 0
FROM rel JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = rel.oid
  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0
JOIN rel t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE rel.relkind = 'S'
UNION ALL
SELECT 'foreign key', format('%s.%I', rel.name, con.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s;', rel.name, con.conname, pg_get_constraintdef(con.oid)), 3
FROM pg_constraint con JOIN rel ON rel.oid = con.conrelid
WHERE con.contype = 'f' AND con.conislocal AND con.conparentid = 0
UNION ALL
SELECT 'index', i.name,
       CASE WHEN i.relkind = 'I' THEN regexp_replace(pg_get_indexdef(i.oid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.oid) END || ';', 2
FROM rel i JOIN pg_index x ON x.indexrelid = i.oid JOIN rel t ON t.oid = x.indrelid
WHERE i.relkind IN ('i', 'I')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.oid AND con.conrelid = x.indrelid
                  AND con.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.oid)
UNION ALL
SELECT 'trigger', format('%s.%I', rel.name, tg.tgname),
       pg_get_triggerdef(tg.oid) || ';'
       || CASE tg.tgenabled WHEN 'D' THEN format(E'\nALTER TABLE %s DISABLE TRIGGER %I;', rel.name, tg.tgname)
                            WHEN 'R' THEN format(E'\nALTER TABLE %s ENABLE REPLICA TRIGGER %I;', rel.name, tg.tgname)
                            WHEN 'A' THEN format(E'\nALTER TABLE %s ENABLE ALWAYS TRIGGER %I;', rel.name, tg.tgname)
                            ELSE '' END, 4
FROM pg_trigger tg JOIN rel ON rel.oid = tg.tgrelid WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
UNION ALL
SELECT 'row level security', rel.name,
       concat_ws(E'\n', CASE WHEN c.relrowsecurity THEN format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY;', rel.name) END,
                 CASE WHEN c.relforcerowsecurity THEN format('ALTER TABLE %s FORCE ROW LEVEL SECURITY;', rel.name) END), 5
FROM rel JOIN pg_class c ON c.oid = rel.oid WHERE c.relrowsecurity OR c.relforcerowsecurity
UNION ALL
SELECT 'policy', format('%s.%I', rel.name, pol.polname),
       format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s;', pol.polname, rel.name,
         CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
         CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE'
                         ELSE 'ALL' END,
         (SELECT string_agg(r, ', ' ORDER BY r COLLATE "C") FROM (
            SELECT CASE WHEN role = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(role)) END AS r
            FROM unnest(pol.polroles) role) roles),
         coalesce(' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', ''),
         coalesce(' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', '')), 6
FROM pg_policy pol JOIN rel ON rel.oid = pol.polrelid
UNION ALL
SELECT 'comment', target, format('COMMENT ON %s IS %s;', target, quote_literal(description)), 7 FROM (
  SELECT 'SCHEMA ' || quote_ident(ns.nspname) AS target, d.description FROM ns
  JOIN pg_description d ON d.classoid = 'pg_namespace'::regclass AND d.objoid = ns.oid
  UNION ALL
  SELECT CASE rel.relkind WHEN 'v' THEN 'VIEW ' WHEN 'm' THEN 'MATERIALIZED VIEW ' WHEN 'S' THEN 'SEQUENCE '
                          WHEN 'i' THEN 'INDEX ' WHEN 'I' THEN 'INDEX ' ELSE 'TABLE ' END || rel.name, d.description
  FROM rel JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid = 0
  WHERE rel.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I')
  UNION ALL
  SELECT 'COLUMN ' || rel.name || '.' || quote_ident(a.attname), d.description
  FROM rel JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid > 0
  JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum = d.objsubid
  WHERE rel.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT CASE typ.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || typ.name, d.description
  FROM typ JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = typ.oid
  UNION ALL
  SELECT CASE fn.prokind WHEN 'p' THEN 'PROCEDURE ' WHEN 'a' THEN 'AGGREGATE ' ELSE 'FUNCTION ' END || fn.name,
         d.description
  FROM fn JOIN pg_description d ON d.classoid = 'pg_proc'::regclass AND d.objoid = fn.oid
  UNION ALL
  SELECT format('CONSTRAINT %I ON %s%s', con.conname, CASE WHEN con.contypid <> 0 THEN 'DOMAIN ' ELSE '' END,
                coalesce(rel.name, typ.name)), d.description
  FROM pg_constraint con LEFT JOIN rel ON rel.oid = con.conrelid LEFT JOIN typ ON typ.oid = con.contypid
  JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
  WHERE rel.oid IS NOT NULL OR typ.oid IS NOT NULL
  UNION ALL
  SELECT format('TRIGGER %I ON %s', tg.tgname, rel.name), d.description
  FROM pg_trigger tg JOIN rel ON rel.oid = tg.tgrelid
  JOIN pg_description d ON d.classoid = 'pg_trigger'::regclass AND d.objoid = tg.oid
  UNION ALL
  SELECT format('POLICY %I ON %s', pol.polname, rel.name), d.description
  FROM pg_policy pol JOIN rel ON rel.oid = pol.polrelid
  JOIN pg_description d ON d.classoid = 'pg_policy'::regclass AND d.objoid = pol.oid
) comments
)SQL";

// Grants and revokes: what differs from the privileges the object's kind starts with
// (acldefault), so that a REVOKE from PUBLIC is kept too. The owner's own entries are
// written for CURRENT_USER: the dump leaves ownership to whoever loads it.
constexpr const char* k_privileges = R"SQL(,
acl_objects AS (
  SELECT CASE rel.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || rel.name AS target, rel.relacl AS acl,
         rel.relowner AS owner, CASE rel.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char" AS objtype
  FROM rel WHERE rel.relkind IN ('r', 'p', 'v', 'm', 'S')
  UNION ALL
  SELECT 'SCHEMA ' || quote_ident(nspname), nspacl, nspowner, 'n' FROM ns
  UNION ALL
  SELECT CASE prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || name, proacl, proowner, 'f' FROM fn
  UNION ALL
  SELECT CASE typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || name, typacl, typowner, 'T' FROM typ
),
actual AS (
  SELECT o.target, o.owner, g.grantee, g.privilege_type AS privilege, g.is_grantable
  FROM acl_objects o, aclexplode(coalesce(o.acl, acldefault(o.objtype, o.owner))) g
  UNION ALL
  SELECT 'TABLE ' || rel.name, rel.relowner, g.grantee, g.privilege_type || ' (' || quote_ident(a.attname) || ')',
         g.is_grantable
  FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL,
  aclexplode(a.attacl) g
),
initial AS (
  SELECT o.target, o.owner, g.grantee, g.privilege_type AS privilege, g.is_grantable
  FROM acl_objects o, aclexplode(acldefault(o.objtype, o.owner)) g
),
changes AS (
  SELECT 'GRANT' AS verb, * FROM (SELECT * FROM actual EXCEPT SELECT * FROM initial) granted
  UNION ALL
  SELECT 'REVOKE', * FROM (SELECT * FROM initial EXCEPT SELECT * FROM actual) revoked
),
rendered AS (
  SELECT verb, target, is_grantable, privilege,
         CASE WHEN grantee = 0 THEN 'PUBLIC' WHEN grantee = owner THEN 'CURRENT_USER'
              ELSE quote_ident(pg_get_userbyid(grantee)) END AS grantee
  FROM changes
)
SELECT lower(verb), target || CASE verb WHEN 'GRANT' THEN ' TO ' ELSE ' FROM ' END || grantee
         || CASE WHEN is_grantable THEN ' WITH GRANT OPTION' ELSE '' END,
       format('%s %s ON %s %s %s%s;', verb, string_agg(privilege, ', ' ORDER BY privilege COLLATE "C"), target,
              CASE verb WHEN 'GRANT' THEN 'TO' ELSE 'FROM' END, grantee,
              CASE WHEN is_grantable THEN ' WITH GRANT OPTION' ELSE '' END), 8
FROM rendered GROUP BY verb, target, grantee, is_grantable
)SQL";

constexpr const char* k_schemas = R"SQL(
SELECT 'schema', quote_ident(nspname), format('CREATE SCHEMA IF NOT EXISTS %I;', nspname) FROM ns
UNION ALL
SELECT 'extension', quote_ident(e.extname), format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA %I;', e.extname, ns.nspname)
FROM pg_extension e JOIN ns ON ns.oid = e.extnamespace WHERE e.extname <> 'plpgsql'
)SQL";

db::Result query(db::Connection& connection, const ReadOptions& options, const std::string& tail)
{
    return connection.exec_params(std::string(k_base) + tail,
        { options.only_schema, std::string(options.include_vidb_tables ? "true" : "false") });
}

std::string text(const db::Result& rows, int row, int column)
{
    return rows.optional(row, column).value_or("");
}

// Byte order, whatever the server's collation.
void sort_by_name(std::vector<SchemaObject>& objects)
{
    std::stable_sort(
        objects.begin(), objects.end(), [](const SchemaObject& a, const SchemaObject& b) { return a.name < b.name; });
}

SchemaObject table_object(
    const db::Result& rows, int row, const std::vector<std::pair<std::string, std::string>>& columns)
{
    SchemaObject table { "table", text(rows, row, 0), "", columns };
    const bool unlogged = rows.get_bool(row, 2);
    const bool partition = rows.get_bool(row, 3);
    const std::string parents = text(rows, row, 4);
    std::string sql = std::string("CREATE ") + (unlogged ? "UNLOGGED " : "") + "TABLE " + table.name;
    if (partition) {
        sql += " PARTITION OF " + parents;
    }
    if (!partition || !columns.empty()) {
        sql += " (";
        for (std::size_t i = 0; i < columns.size(); ++i) {
            sql += (i ? ",\n    " : "\n    ") + columns[i].first + " " + columns[i].second;
        }
        sql += columns.empty() ? ")" : "\n)";
    }
    if (partition) {
        sql += " " + text(rows, row, 5);
    } else if (!parents.empty()) {
        sql += " INHERITS (" + parents + ")";
    }
    if (const auto key = text(rows, row, 6); !key.empty()) {
        sql += " PARTITION BY " + key;
    }
    if (const auto storage = text(rows, row, 7); !storage.empty()) {
        sql += " WITH (" + storage + ")";
    }
    table.sql = sql + ";";
    return table;
}

} // namespace

std::vector<SchemaObject> read_schema(db::Connection& connection, const ReadOptions& options)
{
    db::Transaction transaction(connection);
    // One snapshot for every query; an empty search_path qualifies every name the
    // pg_get_*def functions and the reg* casts print.
    // Hash joins only: the planner's row estimates for the catalogs (pg_description,
    // pg_depend) are far too low, and the nested loops they pick over the CTEs made the
    // dump of a 300-table schema three times slower.
    connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSET LOCAL search_path = '';\n"
                    "SET LOCAL enable_nestloop = off;\n");

    std::vector<SchemaObject> out;
    {
        const auto rows = query(connection, options, k_schemas);
        std::vector<SchemaObject> schemas;
        std::vector<SchemaObject> extensions;
        for (int row = 0; row < rows.rows(); ++row) {
            SchemaObject object { text(rows, row, 0), text(rows, row, 1), text(rows, row, 2), {} };
            (object.kind == "schema" ? schemas : extensions).push_back(std::move(object));
        }
        sort_by_name(schemas);
        sort_by_name(extensions);
        out.insert(out.end(), schemas.begin(), schemas.end());
        out.insert(out.end(), extensions.begin(), extensions.end());
    }

    // Types, sequences, functions, tables, constraints and views, ordered by what they
    // depend on.
    std::vector<SchemaObject> creatables;
    std::vector<OrderNode> nodes;
    {
        const auto rows = query(connection, options, k_creatables);
        for (int row = 0; row < rows.rows(); ++row) {
            creatables.push_back({ text(rows, row, 0), text(rows, row, 1), text(rows, row, 2), {} });
            nodes.push_back({ text(rows, row, 3), static_cast<int>(rows.get_int(row, 4)), text(rows, row, 1) });
        }
    }
    {
        std::map<std::string, std::vector<std::pair<std::string, std::string>>> columns;
        const auto column_rows = query(connection, options, k_columns);
        for (int row = 0; row < column_rows.rows(); ++row) {
            columns[text(column_rows, row, 0)].emplace_back(text(column_rows, row, 1), text(column_rows, row, 2));
        }
        const auto rows = query(connection, options, k_tables);
        for (int row = 0; row < rows.rows(); ++row) {
            creatables.push_back(table_object(rows, row, columns[text(rows, row, 0)]));
            nodes.push_back({ text(rows, row, 1), 7, text(rows, row, 0) });
        }
    }
    std::vector<std::pair<std::string, std::string>> edges;
    {
        const auto rows = query(connection, options, k_dependencies);
        for (int row = 0; row < rows.rows(); ++row) {
            if (rows.get_bool(row, 2)) {
                continue; // a sequence OWNED BY a table: the table's default needs the sequence first
            }
            edges.emplace_back(text(rows, row, 0), text(rows, row, 1));
        }
    }
    for (const std::size_t index : dependency_order(nodes, edges)) {
        out.push_back(std::move(creatables[index]));
    }

    // Then what attaches to them, kind by kind, each kind in name order.
    std::vector<std::pair<int, SchemaObject>> attachments;
    for (const char* tail : { k_attachments, k_privileges }) {
        const auto rows = query(connection, options, tail);
        for (int row = 0; row < rows.rows(); ++row) {
            attachments.emplace_back(static_cast<int>(rows.get_int(row, 3)),
                SchemaObject { text(rows, row, 0), text(rows, row, 1), text(rows, row, 2), {} });
        }
    }
    std::stable_sort(attachments.begin(), attachments.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first, a.second.name, a.second.kind) < std::tie(b.first, b.second.name, b.second.kind);
    });
    for (auto& [rank, object] : attachments) {
        out.push_back(std::move(object));
    }
    transaction.commit();
    return out;
}

} // namespace vidb::migrate
