"""Customers, orders and order lines; lines point at catalogue products."""
