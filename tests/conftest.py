"""Load ``cadre_archive/lib`` as the package ``cadre_archive_lib``.

``cadre_archive/__init__.py`` imports odoo, so the addon package itself is
never imported here: only its pure-Python ``lib`` folder.
"""

import importlib.util
import sys
from pathlib import Path

PACKAGE = "cadre_archive_lib"
LIB_DIR = Path(__file__).resolve().parent.parent / "cadre_archive" / "lib"


def _load_lib():
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    spec = importlib.util.spec_from_file_location(
        PACKAGE, LIB_DIR / "__init__.py", submodule_search_locations=[str(LIB_DIR)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[PACKAGE]
        raise
    return module


_load_lib()
