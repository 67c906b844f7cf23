"""Moderation and follow-up: the queue, hide/restore, tags, responses ("you said, we did"),
meeting feedback, the audit log, tallies and exports."""
