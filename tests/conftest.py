"""Collection: the fixtures are data and modules the tests load themselves (a plugin stage registers on import)."""

collect_ignore_glob = ["fixtures/*"]
