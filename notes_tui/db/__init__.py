"""Database layer: tables, engine, migrations. No UI."""
