"""Data the seed migration writes through RunPython (a plain module: editing
it must rebuild the kept database)."""

MIGRATION_NAME = "Seeded by a migration"
