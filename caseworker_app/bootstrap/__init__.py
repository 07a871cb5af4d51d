"""The composition of a store: its folder, keys, encrypted engine and migrations (the adapters)
put together with the use cases that create, unlock, recover, back up and restore it.

``Vault`` (a store folder) and ``OpenStore`` (a store unlocked by one operator) implement the
gateway the UI sees (``ports.gateway``); the command line uses them directly. They live above the
use cases (``services``), so that the adapters below never import a use case (the ``layers``
contract in pyproject.toml).
"""
