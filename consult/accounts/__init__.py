"""People: users, their per-plan memberships and stakeholder groups; log in, register, profile."""
