"""Databases of their own on the suite's PostgreSQL server, for tests that start servers (the
deadline rush, the deployed shape): how to reach one by name."""

import psycopg
from django.conf import settings

_DB = settings.DATABASES["default"]
ON_POSTGRES = _DB["ENGINE"] == "django.db.backends.postgresql"


def conninfo(dbname: str) -> str:
    options = {
        "host": _DB.get("HOST") or "127.0.0.1",
        "port": str(_DB.get("PORT") or 5432),
        "user": _DB.get("USER") or "postgres",
        "dbname": dbname,
    }
    if _DB.get("PASSWORD"):
        options["password"] = _DB["PASSWORD"]
    return psycopg.conninfo.make_conninfo(**options)


def database_url(dbname: str) -> str:
    user, password = _DB.get("USER") or "postgres", _DB.get("PASSWORD") or ""
    credentials = f"{user}:{password}" if password else user
    host, port = _DB.get("HOST") or "127.0.0.1", _DB.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{dbname}"
