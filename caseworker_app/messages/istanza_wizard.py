"""Messages of the istanza wizard area."""

MESSAGES: dict[str, str] = {}
