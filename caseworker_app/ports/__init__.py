"""The ports: the protocols the use cases talk to and the adapters implement.

- :mod:`storage`: the repositories and the unit of work (Cosmic Python's repository + UoW);
- :mod:`store_files`: what creating, backing up and restoring a store needs of its folder;
- :mod:`gateway`: the store as the UI sees it (create, unlock, recover) and an open workspace.

They sit below the adapters (``store``, ``documents``, ``transfer``, ``security``), which import
them, and below the use cases (``services``), which are written against them; they import only the
domain (the ``layers`` contract in pyproject.toml).
"""
