"""Audit log kept on the separate ``archive`` database."""
