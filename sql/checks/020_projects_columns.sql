-- The columns the application relies on: types, nullability, defaults and the key.
DO $$
DECLARE
    expected CONSTANT text[][] := ARRAY[
        -- column,      type,                        not null, default
        ['id',          'uuid',                      'true',   'gen_random_uuid()'],
        ['name',        'text',                      'true',   NULL],
        ['description', 'text',                      'false',  NULL],
        ['created_at',  'timestamp with time zone',  'true',   'now()'],
        ['updated_at',  'timestamp with time zone',  'true',   'now()']
    ];
    col record;
    i int;
BEGIN
    FOR i IN 1 .. array_length(expected, 1) LOOP
        SELECT format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
               pg_get_expr(d.adbin, d.adrelid) AS default_expr
          INTO col
          FROM pg_attribute a
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = 'projects'::regclass AND a.attname = expected[i][1] AND NOT a.attisdropped;
        ASSERT FOUND, format('projects.%s is missing', expected[i][1]);
        ASSERT col.type = expected[i][2],
            format('projects.%s is %s, expected %s', expected[i][1], col.type, expected[i][2]);
        ASSERT col.not_null = expected[i][3]::boolean,
            format('projects.%s must be %s', expected[i][1],
                   CASE WHEN expected[i][3]::boolean THEN 'NOT NULL' ELSE 'nullable' END);
        ASSERT col.default_expr IS NOT DISTINCT FROM expected[i][4],
            format('projects.%s defaults to %s, expected %s', expected[i][1],
                   coalesce(col.default_expr, 'nothing'), coalesce(expected[i][4], 'nothing'));
    END LOOP;

    ASSERT (SELECT array_agg(a.attname::text ORDER BY a.attname)
              FROM pg_constraint c
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
             WHERE c.conrelid = 'projects'::regclass AND c.contype = 'p') = ARRAY['id'],
        'the primary key of projects must be (id)';
END
$$;
