"""Data the post_migrate handler writes (a plain module: editing it must
rebuild the kept database)."""

POST_MIGRATE_NAME = "Made by post_migrate"
