"""Alembic environment: migrations run on the connection handed over by alsdx.store.engine.migrate."""

from alembic import context

from alsdx.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # the alembic command line: use ALSDX_DATABASE_URL or the default
    from alsdx.store.engine import database_url, make_engine

    with make_engine(database_url()).begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
