"""Messages of the pi area."""

MESSAGES: dict[str, str] = {}
