"""Product catalogue: categories, products and tags."""
