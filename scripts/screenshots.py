"""Take the README screenshots from a running demo server with headless Chromium.

    python scripts/screenshots.py --url http://127.0.0.1:PORT --db DB --out DIR

Run by ``scripts/screenshots``, which starts the demo server first. Each screen
is opened as the demo user who works on it (logins of README.md), through the
Chrome DevTools protocol; the PNG files are 1280x800, reduced to 256 colours.
"""

import argparse
import base64
import io
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

SIZE = (1280, 800)
TIMEOUT = 180  # the first page builds the asset bundles


class Chrome:
    """A headless Chromium and its first page, driven over DevTools."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="cadre-archive-shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={SIZE[0]},{SIZE[1]}",
                "--lang=zh-CN",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.socket = websocket.create_connection(self._page_socket(), timeout=TIMEOUT)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=SIZE[0],
            height=SIZE[1],
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_socket(self):
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        for target in requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json():
            if target["type"] == "page":
                return target["webSocketDebuggerUrl"]
        raise RuntimeError("Chromium has no page")

    def send(self, method, **params):
        """Call a DevTools method and return its result (events are skipped)."""
        call_id = next(self.ids)
        self.socket.send(
            json.dumps({"id": call_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector):
        deadline = time.monotonic() + TIMEOUT
        # the element is there, its images are loaded, nothing is loading
        check = (
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " return !!el && [...document.images].every((i) => i.complete)"
            " && (el.tagName !== 'IMG' || el.naturalWidth > 0)"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI'); })()"
        )
        while not self.evaluate(check):
            if time.monotonic() > deadline:
                self.screenshot(Path(tempfile.gettempdir()) / "cadre-archive-shot.png")
                url = self.evaluate("location.href")
                raise RuntimeError(f"{selector} never appeared on {url}")
            time.sleep(0.3)
        time.sleep(1.5)  # let fonts, images and animations settle

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(path, optimize=True)

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


class Odoo:
    """JSON-RPC sessions of the demo users (the password is the login)."""

    def __init__(self, url, db):
        self.url, self.db, self.sessions = url.rstrip("/"), db, {}

    def session(self, login):
        if login not in self.sessions:
            http = requests.Session()
            response = http.post(
                f"{self.url}/web/session/authenticate",
                json={"params": {"db": self.db, "login": login, "password": login}},
                timeout=60,
            )
            if response.json().get("error"):
                raise RuntimeError(f"cannot log in as {login}: {response.text}")
            self.sessions[login] = http
        return self.sessions[login]

    def call(self, login, model, method, *args, **kwargs):
        response = self.session(login).post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                }
            },
            timeout=60,
        )
        decoded = response.json()
        if decoded.get("error"):
            raise RuntimeError(decoded["error"]["data"]["message"])
        return decoded["result"]

    def first_id(self, login, model, domain, order="id"):
        ids = self.call(login, model, "search", domain, limit=1, order=order)
        if not ids:
            raise RuntimeError(f"no {model} for {login} in {domain}")
        return ids[0]


def open_as(chrome, odoo, login, path, selector, then=None):
    """Open ``path`` as ``login`` and wait for ``selector``."""
    cookie = odoo.session(login).cookies.get("session_id")
    chrome.send("Network.clearBrowserCookies")
    chrome.send("Network.setCookie", name="session_id", value=cookie, url=odoo.url)
    chrome.send("Page.navigate", url=f"{odoo.url}{path}")
    if then:
        chrome.wait_for(".o_action_manager .o_view_controller")
        chrome.evaluate(then)
    chrome.wait_for(selector)


def action(xmlid, res_id=None):
    return f"/odoo/action-{xmlid}" + (f"/{res_id}" if res_id else "")


def screens(odoo):
    """(file name, login, path, selector to wait for, script to run first)."""
    officer, manager, requester = (
        "archive_officer_a",
        "archive_manager",
        "archive_requester",
    )
    dossier = odoo.first_id(
        officer, "cadre.archive.dossier", [("material_ids", "!=", False)]
    )
    material = odoo.first_id(
        officer, "cadre.archive.material", [("attachment_ids", "!=", False)]
    )
    request = odoo.first_id(
        manager, "cadre.archive.request", [("state", "=", "submitted")]
    )
    readable = odoo.call(
        requester,
        "cadre.archive.material",
        "search_read",
        [],
        ["scan_count"],
        order="id",
    )
    viewed = next(row["id"] for row in readable if row["scan_count"])
    search = (
        "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
        "'cadre_archive.action_cadre_archive_search', {additionalContext: "
        "{search_default_search_snippet: '审批表'}, clearBreadcrumbs: true})"
    )
    return [
        (
            "dossier.png",
            officer,
            action("cadre_archive.action_cadre_archive_dossier", dossier),
            ".o_form_view [name='catalog_material_ids'] .o_data_row",
            None,
        ),
        (
            "material.png",
            officer,
            action("cadre_archive.action_cadre_archive_material", material),
            ".o_form_view .o_form_sheet",
            None,
        ),
        (
            "request_approval.png",
            manager,
            action("cadre_archive.action_cadre_archive_request_to_approve", request),
            ".o_form_view .o_form_sheet",
            None,
        ),
        (
            "viewer.png",
            requester,
            f"/cadre_archive/material/{viewed}/view",
            "img[src*='/page/']",
            None,
        ),
        (
            "search.png",
            officer,
            action("cadre_archive.action_cadre_archive_search"),
            ".o_list_view td[name='search_snippet'] mark",
            search,
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    odoo = Odoo(options.url, options.db)
    chrome = Chrome(options.chromium)
    try:
        for name, login, path, selector, then in screens(odoo):
            open_as(chrome, odoo, login, path, selector, then)
            chrome.screenshot(options.out / name)
            print(f"{options.out / name}: {login} {path}")
    finally:
        chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
