"""caseworker: case files and regional welfare measures for Lombardy municipalities."""

__version__ = "0.1.0"
