"""Alembic environment. The connection is handed in by notes_tui.db.migrate (config.attributes)
or built from sqlalchemy.url when the alembic CLI is used by a developer."""

from alembic import context
from sqlalchemy.engine import Connection

from notes_tui.db import models  # noqa: F401  (registers the tables)
from notes_tui.db.backends import is_search_object
from notes_tui.db.models import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=lambda name, type_, parent: not is_search_object(name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from notes_tui.db.engine import make_engine
    from notes_tui.paths import database_url

    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.connect() as conn:
        _run(conn)
