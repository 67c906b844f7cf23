"""Shared infrastructure that knows no domain: models' base types, rendering, errors, time."""
