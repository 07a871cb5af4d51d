"""Messages of the casefile area."""

MESSAGES: dict[str, str] = {}
