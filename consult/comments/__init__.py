"""Comments on the actions of a published version: threads, stances, edits, reports."""
