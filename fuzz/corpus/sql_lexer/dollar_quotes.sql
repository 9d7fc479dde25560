CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN PERFORM $$;$$; END
$body$;
SELECT $1, $a$ ; $b$a$;
