"""Every coded error the library raises has a sentence in lib_messages.py.

``lib`` raises errors carrying a code (``lib.errors.ArchiveLibError``); the
Odoo layer turns each code into a translated sentence. A code without one
reaches the user as "Invalid archive data (code)": this reads every module of
``lib`` and the message table (without importing Odoo) and names the codes
left without a sentence.
"""

import ast
import inspect
import sys
from pathlib import Path

import pytest
from cadre_archive_lib.errors import ArchiveLibError

ADDON = Path(__file__).resolve().parent.parent / "cadre_archive"
ALIAS = "cadre_archive_lib"


def message_codes():
    """The codes of the message table of lib_messages.py (read, not imported)."""
    source = (ADDON / "tools" / "lib_messages.py").read_text(encoding="utf-8")
    (table,) = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["messages"]
    ]
    return {key.value for key in table.keys}


def lib_modules():
    return sorted(
        (name, module)
        for name, module in sys.modules.items()
        if name.startswith(f"{ALIAS}.") and module is not None
    )


def raised_codes(module):
    """The string codes given to the coded error classes a module uses.

    The variants mutation testing writes beside each function (``__mutmut_``)
    are left out: they hold broken codes on purpose.
    """
    errors = {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and issubclass(value, ArchiveLibError)
    }
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            node.body = []
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in errors
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_the_library_is_read():
    names = {name for name, __ in lib_modules()}
    assert {f"{ALIAS}.networks", f"{ALIAS}.page_ranges", f"{ALIAS}.period"} <= names


@pytest.mark.parametrize(
    "module", [module for __, module in lib_modules()], ids=lambda m: m.__name__
)
def test_every_code_raised_has_a_message(module):
    assert not raised_codes(module) - message_codes()


def test_the_new_codes_are_seen():
    modules = dict(lib_modules())
    assert raised_codes(modules[f"{ALIAS}.networks"]) == {
        "bad_network",
        "network_host_bits",
    }
    assert raised_codes(modules[f"{ALIAS}.page_ranges"]) == {
        "bad_page_count",
        "no_pages",
        "bad_page_range",
        "page_range_reversed",
        "page_beyond_count",
    }
