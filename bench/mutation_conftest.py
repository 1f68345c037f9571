"""conftest.py of bench/mutation.py's scratch copies (copied there as conftest.py; not used by make test).

Each mutant's run is a new pytest session, and setting up Django's test database (every
migration) took about 4 of its 5 seconds. Here the session instead starts from a copy of a
database that bench/mutation.py migrated once (DATABASE_URL): a copy per process, so that
runs side by side (MUTATION_CHILDREN) never share a file, and each starts as migrated. On
PostgreSQL (bench/mutation.py with MUTATION_POSTGRES) the copy is a database created from the
migrated one as its template.
"""

import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """This session's own copy of the migrated database, in place of a test database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        yield from _postgresql_copy(connection, django_db_blocker)
        return
    migrated = Path(connection.settings_dict["NAME"])
    own = migrated.with_name(f"{migrated.stem}-{os.getpid()}{migrated.suffix}")
    shutil.copyfile(migrated, own)
    with django_db_blocker.unblock():
        connection.close()
    connection.settings_dict["NAME"] = str(own)
    yield
    with django_db_blocker.unblock():
        connection.close()
    own.unlink(missing_ok=True)
    connection.settings_dict["NAME"] = str(migrated)  # mutmut runs several sessions in one process


def _postgresql_copy(connection, django_db_blocker):
    """On PostgreSQL (MUTATION_POSTGRES): a database made from the migrated one as a template."""
    import psycopg2

    migrated = connection.settings_dict["NAME"]
    own = f"{migrated}_{os.getpid()}"
    with django_db_blocker.unblock():
        connection.close()
    server = {key: connection.settings_dict[name] for key, name in
              (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))}  # fmt: skip

    def maintenance(sql: str) -> None:
        admin = psycopg2.connect(dbname="postgres", **{k: v for k, v in server.items() if v})
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
        admin.close()

    maintenance(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
    maintenance(f'CREATE DATABASE "{own}" TEMPLATE "{migrated}"')
    connection.settings_dict["NAME"] = own
    yield
    with django_db_blocker.unblock():
        connection.close()
    maintenance(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
    connection.settings_dict["NAME"] = migrated
