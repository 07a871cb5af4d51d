"""The case file sections of the case editor: one panel per tab (list of entries + form)."""
