# coding:utf-8
"""python3 -m myproject.migrate: creates the visits table and its index, if missing.

Runs as MIGRATE_DATABASE_URL (the role that owns the database and may create tables) when set, else
as DATABASE_URL. The app itself only reads and writes rows, so its role needs no DDL rights."""
import sys

import psycopg2

from . import dotenv, visits
from .database_url import DatabaseUrlError, from_environment

# Any constant: serialises migrations started at once (hoist runs migrate: on one host per deploy, but a
# hand-run migrate may meet it), since CREATE ... IF NOT EXISTS is not safe against a concurrent CREATE.
LOCK_ID = 4_214_321


def main():
    dotenv.load()
    try:
        database_url = from_environment("MIGRATE_DATABASE_URL", "DATABASE_URL")
    except DatabaseUrlError as error:
        print("migrate: %s" % error, file=sys.stderr)
        return 2
    try:
        connection = visits.connect(database_url)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
                cursor.execute(visits.SCHEMA)
        finally:
            connection.close()
    except psycopg2.Error as error:
        print("migrate: %s (%s): %s" % (database_url, database_url.name, database_url.scrub(" ".join(str(error).split()))), file=sys.stderr)
        return 1
    print("migrate: visits table ready in %s" % database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
