"""Demo Django project whose fixture-heavy suite exercises nose-speedup."""
