"""Install an addon's Python dependencies without installing the addon itself.

Run with Odoo's own Python by scripts/odoo-env.sh when the editable install of the
addon is not possible (Odoo is not a pip distribution there, e.g. Debian's odoo
package, so pip cannot resolve ``odoo==19.0.*``) or not wanted
(the default). The addon is then found through --addons-path.

    python odoo_deps.py ADDON_DIR [pip options, e.g. --constraint FILE] -- [EXTRA ...]
    python odoo_deps.py --requirements REQ[,REQ...] [pip options] -- [EXTRA ...]

The second form installs the given requirements (e.g. the OCA addon
``odoo-addon-fs_attachment_s3``, which deployments choose and cadre_archive does
not depend on) the same way as an addon's own.

The requirements are the metadata whool computes from the manifest (read through
``pip install --dry-run --report``). ``odoo`` itself is skipped; ``odoo-addon-*``
dependencies that Odoo already finds are skipped, the others are installed with
``--no-deps`` and their own requirements followed the same way.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import sysconfig

from packaging.requirements import Requirement


def pip(*args, capture=False):
    cmd = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"]
    print("+", " ".join(cmd), flush=True)
    if capture:
        return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    subprocess.run(cmd, check=True)
    return None


def addon_available(addon):
    import odoo.addons  # noqa: PLC0415

    return any(
        os.path.isfile(os.path.join(path, addon, "__manifest__.py"))
        for path in odoo.addons.__path__
    )


def addon_requirements(addon_dir):
    report = pip(
        "install",
        "--quiet",
        "--dry-run",
        "--no-deps",
        "--ignore-installed",
        "--report",
        "-",
        addon_dir,
        capture=True,
    )
    (item,) = json.loads(report)["install"]
    return item["metadata"].get("requires_dist") or []


def main():
    args = sys.argv[1:]
    first = args.pop(0)
    if first == "--requirements":
        wanted = [req for req in args.pop(0).split(",") if req]
    else:
        wanted = None
    sep = args.index("--") if "--" in args else len(args)
    pip_opts, extra = args[:sep], args[sep + 1 :]
    if sys.prefix == sys.base_prefix and os.path.exists(
        os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    ):
        # a system Python (Debian's odoo package): pip refuses without this
        os.environ["PIP_BREAK_SYSTEM_PACKAGES"] = "1"
    queue = wanted if wanted is not None else list(addon_requirements(first))
    plain, seen = [], set()
    while queue:
        req = Requirement(queue.pop(0))
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        name = req.name.lower().replace("_", "-")
        if name in seen or re.fullmatch(r"odoo\d*", name):
            continue
        seen.add(name)
        if re.fullmatch(r"odoo\d*-addon-.+", name):
            addon = req.name.split("-addon-", 1)[1]
            if addon_available(addon):
                print(f"{addon}: already on Odoo's addons path", flush=True)
                continue
            pip("install", "--no-deps", *pip_opts, str(req))
            queue.extend(importlib.metadata.requires(req.name) or [])
        else:
            plain.append(str(req))
    if plain or extra:
        pip("install", *pip_opts, *plain, *extra)


if __name__ == "__main__":
    main()
