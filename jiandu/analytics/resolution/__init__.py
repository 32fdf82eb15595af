"""Entity resolution (framework-free): `engine.resolve()` writes `entity_links`; see docs/resolution.md."""
