"""PostgreSQL through psycopg 3: the connection string comes from DATABASE_URL."""

import os

import psycopg

# Run in order at start; each statement is safe to run again on a database that has it.
MIGRATIONS = [
    "CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)",
]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError(
            "DATABASE_URL is not set: run through poly (poly up, poly run <service>:test), "
            "or set it to postgres://user:password@host:port/database"
        )
    return url


def connect() -> psycopg.Connection:
    return psycopg.connect(database_url())


def migrate() -> None:
    with connect() as conn:
        for statement in MIGRATIONS:
            conn.execute(statement)
