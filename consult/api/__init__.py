"""The JSON API under /api/v1: the read side of plans and threads, and posting comments with a token."""
