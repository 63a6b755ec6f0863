"""Business logic as plain functions: they take the session, return models and raise
domain errors; they never touch ``request``, ``current_user`` or ``flash``."""
