"""Messages of the scadenze area."""

MESSAGES: dict[str, str] = {}
