\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = notice;
DO $hoist$
DECLARE
  before text := (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
                  FROM pg_authid WHERE rolname = 'myproject_owner');
BEGIN
  IF before IS NULL THEN
    CREATE ROLE "myproject_owner" LOGIN;
  END IF;
  ALTER ROLE "myproject_owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '[OWNER VERIFIER]';
  RAISE NOTICE 'hoist: role myproject_owner %', CASE WHEN before IS NULL THEN 'created' WHEN before IS DISTINCT FROM
    (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
     FROM pg_authid WHERE rolname = 'myproject_owner') THEN 'changed' ELSE 'ok' END;
END
$hoist$;
DO $hoist$
DECLARE
  before text := (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
                  FROM pg_authid WHERE rolname = 'myproject_app');
BEGIN
  IF before IS NULL THEN
    CREATE ROLE "myproject_app" LOGIN;
  END IF;
  ALTER ROLE "myproject_app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '[APP VERIFIER]';
  RAISE NOTICE 'hoist: role myproject_app %', CASE WHEN before IS NULL THEN 'created' WHEN before IS DISTINCT FROM
    (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
     FROM pg_authid WHERE rolname = 'myproject_app') THEN 'changed' ELSE 'ok' END;
END
$hoist$;
SELECT format('CREATE DATABASE %I OWNER %I', 'myproject', 'myproject_owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'myproject') \gexec
DO $hoist$
DECLARE
  before text := (SELECT datdba::regrole::text || ' ' || coalesce(datacl::text, '') FROM pg_database WHERE datname = 'myproject');
BEGIN
  ALTER DATABASE "myproject" OWNER TO "myproject_owner";
  REVOKE ALL ON DATABASE "myproject" FROM PUBLIC;
  GRANT CONNECT, TEMPORARY ON DATABASE "myproject" TO "myproject_owner";
  GRANT CONNECT ON DATABASE "myproject" TO "myproject_app";
  RAISE NOTICE 'hoist: database myproject %', CASE WHEN before IS DISTINCT FROM
    (SELECT datdba::regrole::text || ' ' || coalesce(datacl::text, '') FROM pg_database WHERE datname = 'myproject') THEN 'changed' ELSE 'ok' END;
END
$hoist$;
\connect "myproject"
SET client_min_messages = notice;
DO $hoist$
DECLARE
  snapshot text := 'SELECT concat_ws('' '',
      (SELECT nspowner::regrole::text || coalesce(nspacl::text, '''') FROM pg_namespace WHERE nspname = ''public''),
      (SELECT string_agg(defaclobjtype::text || coalesce(defaclacl::text, ''''), '','' ORDER BY defaclobjtype::text) FROM pg_default_acl
         WHERE defaclrole = ''myproject_owner''::regrole AND defaclnamespace = ''public''::regnamespace),
      (SELECT string_agg(relname::text || coalesce(relacl::text, ''''), '','' ORDER BY relname) FROM pg_class
         WHERE relnamespace = ''public''::regnamespace AND relkind IN (''r'', ''p'', ''v'', ''S'')))';
  before text;
  after text;
BEGIN
  EXECUTE snapshot INTO before;
  -- Rows only: not a member of any role (the owner's rights would come with it).
  PERFORM 1 FROM pg_auth_members WHERE member = 'myproject_app'::regrole;
  IF FOUND THEN
    EXECUTE (SELECT 'REVOKE ' || string_agg(quote_ident(roleid::regrole::text), ', ') || ' FROM "myproject_app"' FROM pg_auth_members WHERE member = 'myproject_app'::regrole);
    before := before || ' member';
  END IF;
  ALTER SCHEMA public OWNER TO "myproject_owner";
  REVOKE ALL ON SCHEMA public FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO "myproject_app";
  ALTER DEFAULT PRIVILEGES FOR ROLE "myproject_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "myproject_app";
  ALTER DEFAULT PRIVILEGES FOR ROLE "myproject_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "myproject_app";
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "myproject_app";
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "myproject_app";
  EXECUTE snapshot INTO after;
  RAISE NOTICE 'hoist: privileges of myproject_app %', CASE WHEN before IS DISTINCT FROM after THEN 'changed' ELSE 'ok' END;
END
$hoist$;
