namespace Hoist.Setup;

using Hoist.Config;

/// <summary>
/// The SQL that makes the app's database and roles what they should be, for <c>sudo -u postgres psql</c> on the db host
/// (on stdin). Every statement is safe to run again; each item reports, as a notice, whether it
/// changed anything (<c>hoist: NAME changed|ok</c>), by comparing the catalog before and after.
/// The owner role owns the database and changes its schema (migrations); the app role can connect, use the
/// schema, and read and write rows and sequences, nothing else. Passwords arrive as scram verifiers, never as
/// text. Names were checked to be plain lowercase identifiers when the config was read.
/// </summary>
internal static class DatabaseSql
{
    public static string Render(DatabaseSetup db, string ownerVerifier, string appVerifier) =>
        $$"""
        \set ON_ERROR_STOP on
        \set QUIET on
        SET client_min_messages = notice;
        {{Role(db.Owner, ownerVerifier)}}
        {{Role(db.User, appVerifier)}}
        SELECT format('CREATE DATABASE %I OWNER %I', '{{db.Name}}', '{{db.Owner}}')
          WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{{db.Name}}') \gexec
        {{Database(db)}}
        \connect "{{db.Name}}"
        SET client_min_messages = notice;
        {{Privileges(db)}}

        """;

    /// <summary>
    /// For --dry-run: the same statements in transactions that are rolled back, so the notices say what would
    /// change and nothing does (a missing database is reported, not created).
    /// </summary>
    public static string Check(DatabaseSetup db, string ownerVerifier, string appVerifier) =>
        $$"""
        \set ON_ERROR_STOP on
        \set QUIET on
        SET client_min_messages = notice;
        BEGIN;
        {{Role(db.Owner, ownerVerifier)}}
        {{Role(db.User, appVerifier)}}
        SELECT EXISTS (SELECT FROM pg_database WHERE datname = '{{db.Name}}') AS hoist_database_exists \gset
        \if :hoist_database_exists
        {{Database(db)}}
        ROLLBACK;
        \connect "{{db.Name}}"
        SET client_min_messages = notice;
        BEGIN;
        {{Privileges(db)}}
        ROLLBACK;
        \else
        ROLLBACK;
        DO $hoist$ BEGIN RAISE NOTICE 'hoist: database {{db.Name}} created'; RAISE NOTICE 'hoist: privileges of {{db.User}} changed'; END $hoist$;
        \endif

        """;

    private static string Database(DatabaseSetup db) =>
        $$"""
        DO $hoist$
        DECLARE
          before text := (SELECT datdba::regrole::text || ' ' || coalesce(datacl::text, '') FROM pg_database WHERE datname = '{{db.Name}}');
        BEGIN
          ALTER DATABASE "{{db.Name}}" OWNER TO "{{db.Owner}}";
          REVOKE ALL ON DATABASE "{{db.Name}}" FROM PUBLIC;
          GRANT CONNECT, TEMPORARY ON DATABASE "{{db.Name}}" TO "{{db.Owner}}";
          GRANT CONNECT ON DATABASE "{{db.Name}}" TO "{{db.User}}";
          RAISE NOTICE 'hoist: database {{db.Name}} %', CASE WHEN before IS DISTINCT FROM
            (SELECT datdba::regrole::text || ' ' || coalesce(datacl::text, '') FROM pg_database WHERE datname = '{{db.Name}}') THEN 'changed' ELSE 'ok' END;
        END
        $hoist$;
        """;

    private static string Privileges(DatabaseSetup db) =>
        $$"""
        DO $hoist$
        DECLARE
          snapshot text := 'SELECT concat_ws('' '',
              (SELECT nspowner::regrole::text || coalesce(nspacl::text, '''') FROM pg_namespace WHERE nspname = ''public''),
              (SELECT string_agg(defaclobjtype::text || coalesce(defaclacl::text, ''''), '','' ORDER BY defaclobjtype::text) FROM pg_default_acl
                 WHERE defaclrole = ''{{db.Owner}}''::regrole AND defaclnamespace = ''public''::regnamespace),
              (SELECT string_agg(relname::text || coalesce(relacl::text, ''''), '','' ORDER BY relname) FROM pg_class
                 WHERE relnamespace = ''public''::regnamespace AND relkind IN (''r'', ''p'', ''v'', ''S'')))';
          before text;
          after text;
        BEGIN
          EXECUTE snapshot INTO before;
          -- Rows only: not a member of any role (the owner's rights would come with it).
          PERFORM 1 FROM pg_auth_members WHERE member = '{{db.User}}'::regrole;
          IF FOUND THEN
            EXECUTE (SELECT 'REVOKE ' || string_agg(quote_ident(roleid::regrole::text), ', ') || ' FROM "{{db.User}}"' FROM pg_auth_members WHERE member = '{{db.User}}'::regrole);
            before := before || ' member';
          END IF;
          ALTER SCHEMA public OWNER TO "{{db.Owner}}";
          REVOKE ALL ON SCHEMA public FROM PUBLIC;
          GRANT USAGE ON SCHEMA public TO "{{db.User}}";
          ALTER DEFAULT PRIVILEGES FOR ROLE "{{db.Owner}}" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{{db.User}}";
          ALTER DEFAULT PRIVILEGES FOR ROLE "{{db.Owner}}" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{{db.User}}";
          GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{{db.User}}";
          GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{{db.User}}";
          EXECUTE snapshot INTO after;
          RAISE NOTICE 'hoist: privileges of {{db.User}} %', CASE WHEN before IS DISTINCT FROM after THEN 'changed' ELSE 'ok' END;
        END
        $hoist$;
        """;

    /// <summary>A login role with no other power, and the given password verifier.</summary>
    private static string Role(string role, string verifier) =>
        $$"""
        DO $hoist$
        DECLARE
          before text := (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
                          FROM pg_authid WHERE rolname = '{{role}}');
        BEGIN
          IF before IS NULL THEN
            CREATE ROLE "{{role}}" LOGIN;
          END IF;
          ALTER ROLE "{{role}}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{{verifier}}';
          RAISE NOTICE 'hoist: role {{role}} %', CASE WHEN before IS NULL THEN 'created' WHEN before IS DISTINCT FROM
            (SELECT concat_ws(' ', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword)
             FROM pg_authid WHERE rolname = '{{role}}') THEN 'changed' ELSE 'ok' END;
        END
        $hoist$;
        """;
}
