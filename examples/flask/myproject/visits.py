# coding:utf-8
"""The visits table: the app only reads and writes rows; `python3 -m myproject.migrate` creates it."""
import psycopg2

# A slow or absent database answers within seconds instead of holding a worker.
CONNECT_TIMEOUT = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS visits (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    worker  text NOT NULL,
    release text NOT NULL,
    pid     integer NOT NULL
);
CREATE INDEX IF NOT EXISTS visits_at ON visits (at DESC);
"""


def connect(database_url):
    return psycopg2.connect(database_url.url, connect_timeout=CONNECT_TIMEOUT)


def record_and_list(database_url, worker, release, pid, limit=10):
    """Writes one visit and returns the latest `limit` as (id, at, worker, release, pid), newest first."""
    connection = connect(database_url)
    try:
        # `with connection` is one transaction (committed, or rolled back on error), not the connection's life.
        with connection, connection.cursor() as cursor:
            cursor.execute("INSERT INTO visits (worker, release, pid) VALUES (%s, %s, %s)", (worker, release, pid))
            cursor.execute("SELECT id, at, worker, release, pid FROM visits ORDER BY id DESC LIMIT %s", (limit,))
            return cursor.fetchall()
    finally:
        connection.close()


def ping(database_url):
    connection = connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()
