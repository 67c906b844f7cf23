"""Action plans and their versions: authoring, publishing and reading."""
