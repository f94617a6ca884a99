"""Collection: the fixtures are data and modules the tests load themselves (a plugin stage registers on import);
``tests/files.py`` holds helpers shared by test modules, importable as ``files``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

collect_ignore_glob = ["fixtures/*"]
