"""Builders for the worked examples (istanza records of interchange.md §1)."""
