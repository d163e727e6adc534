# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hostile values over JSON-RPC in the main forms of the archive.

Each field of the dossier, the material, the request, the lending, the
collection batch and the transfer is written over ``/web/dataset/call_kw``, by
the user whose form it is, with empty, huge (1 MB), malformed and wrong-typed
values; ``create`` is called with nothing and with a huge title. Every call
must either succeed or come back as a JSON-RPC error of an expected type (an
Odoo UserError/ValidationError/AccessError/MissingError, or a ValueError such
as a malformed date), never as a crash of another type, and a refused call
must leave nothing written: the record's values and the model's count are
those before the call.
"""

import contextlib
import datetime
import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import JsonRpcMixin
from .test_request import RequestCase

HUGE = "档" * (1024 * 1024 // 3)  # 1 MB of UTF-8
# error types a client may get back (anything else is a crash of the server)
CLEAN_ERRORS = ("odoo.exceptions.",)
CLEAN_BUILTINS = ("builtins.ValueError",)
# written by the ORM on every call, or bookkeeping of mail: not a form's field
SKIPPED_FIELDS = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
}
SKIPPED_PREFIXES = ("message_", "activity_", "website_message", "rating_")

# hostile values by field type: (label, value)
WRONG_TYPES = [("list", ["a", "b"]), ("dict", {"x": 1})]
VALUES = {
    "char": [("huge", HUGE), *WRONG_TYPES],
    "text": [("huge", HUGE), *WRONG_TYPES],
    "html": [("huge", HUGE), ("script", "<script>alert(1)</script>"), *WRONG_TYPES],
    "date": [
        ("bad month", "2024-13-45"),
        ("not a date", "not a date"),
        ("last day", "9999-12-31"),
        ("first day", "0001-01-01"),
        ("number", 20240101),
        *WRONG_TYPES,
    ],
    "datetime": [
        ("bad time", "2024-01-01 25:61:00"),
        ("not a datetime", "yesterday"),
        ("number", 1),
        *WRONG_TYPES,
    ],
    "integer": [
        ("negative", -1),
        ("beyond int4", 2**31),
        ("beyond int8", 2**70),
        ("text", "abc"),
        ("fraction", 1.5),
        *WRONG_TYPES,
    ],
    "float": [("huge", 1e308), ("text", "abc"), *WRONG_TYPES],
    "monetary": [("huge", 1e308), ("text", "abc"), *WRONG_TYPES],
    "selection": [("unknown", "no_such_value"), ("number", 7), *WRONG_TYPES],
    "many2one": [
        ("negative id", -1),
        ("missing id", 2_000_000_000),
        ("beyond int4", 2**31 + 5),
        ("text", "abc"),
        ("pair", [1, 2]),
    ],
    "many2many": [
        ("text", "abc"),
        ("unknown command", [[99, 1]]),
        ("missing id", [[Command.LINK, 2_000_000_000]]),
        ("negative set", [[Command.SET, 0, [-1]]]),
    ],
    "one2many": [
        ("text", "abc"),
        ("unknown command", [[99, 1]]),
        ("bad create", [[Command.CREATE, 0, "abc"]]),
    ],
    "boolean": [("list", [1])],
}
EMPTY = [("false", False), ("empty", "")]


@tagged("post_install", "-at_install")
class TestHostileRpc(JsonRpcMixin, HttpCase, RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()
        # a draft: a filed material refuses every write (the filed lock)
        cls.draft_a = cls.create_material(cls.dossier_a, cls.cat_degree, "学位证书")
        cls.request = cls._new_request()
        cls.lending = cls._new_lending()
        cls.batch = (
            cls.env["cadre.archive.collection"]
            .with_user(cls.officer_a)
            .create(
                {
                    "department_id": cls.unit_a.id,
                    "handed_by": "张干事",
                    "date_received": "2026-03-05",
                }
            )
        )
        receiver = cls.env["res.partner"].create({"name": "示范市委组织部"})
        cls.transfer = (
            cls.env["cadre.archive.transfer"]
            .with_user(cls.officer_a)
            .create(
                {
                    "partner_id": receiver.id,
                    "dossier_ids": [Command.set(cls.dossier_a.ids)],
                    "transport": "confidential",
                    "reason": "调动",
                }
            )
        )

    @classmethod
    def _new_request(cls, **vals):
        today = datetime.date.today()
        values = {
            "dossier_ids": [Command.set(cls.dossier_b.ids)],
            "purpose": "干部考察",
            "purpose_type": "assessment",
            "reader_ids": cls.readers_vals(),
            "request_type": "online",
            "date_start": today,
            "date_end": today + datetime.timedelta(days=1),
            **vals,
        }
        return cls.env["cadre.archive.request"].with_user(cls.requester).create(values)

    @classmethod
    def _new_lending(cls):
        request = cls._new_request(request_type="lend")
        request.action_submit()
        request.with_user(cls.manager).action_approve()
        request.with_user(cls.officer_b).action_hand_out()
        return request.lending_ids

    # ------------------------------------------------------------ helpers

    def rpc(self, model, method, *args, **kwargs):
        """Return (status, result, error) of a JSON-RPC call of the ORM."""
        response = self.post_call_kw(model, method, args, kwargs, timeout=60)
        try:
            decoded = response.json()
        except json.JSONDecodeError:
            return response.status_code, None, {"name": "not JSON", "message": ""}
        error = decoded.get("error")
        return response.status_code, decoded.get("result"), error and error["data"]

    @staticmethod
    def form_fields(record):
        """The fields of ``record`` a client could try to write."""
        return [
            name
            for name, field in record._fields.items()
            if field.store
            and name not in SKIPPED_FIELDS
            and not name.startswith(SKIPPED_PREFIXES)
            and field.type in VALUES
        ]

    @staticmethod
    def snapshot(record):
        """The stored values of ``record`` (as the superuser) and its model's count."""
        record.env.invalidate_all()
        model = record.sudo().with_context(active_test=False)
        names = [
            name
            for name, field in record._fields.items()
            if field.store and field.type not in ("binary",)
        ]
        return model.read(names)[0], model.search_count([])

    def judge(self, findings, label, status, error, before, record):
        """Record a finding unless the call ended cleanly and wrote nothing."""
        if status != 200:
            findings.append(f"{label}: HTTP {status}")
            return
        if not error:
            return
        name = error.get("name", "")
        if not (name.startswith(CLEAN_ERRORS) or name in CLEAN_BUILTINS):
            message = (error.get("message") or "")[:160]
            findings.append(f"{label}: {name}: {message}")
        if self.snapshot(record) != before:
            findings.append(f"{label}: refused, yet something was written")

    def attack(self, record, user, findings):
        """Write each hostile value into each field of ``record`` as ``user``."""
        self.login(user)
        model = record._name
        before = self.snapshot(record)
        for name in self.form_fields(record):
            field = record._fields[name]
            for tag, value in EMPTY + VALUES[field.type]:
                label = f"{model}.{name} ({field.type}) = {tag}"
                with (
                    contextlib.closing(self.env.cr.savepoint()),
                    mute_logger("odoo.http", "odoo.sql_db", "odoo.tools.mail"),
                ):
                    status, _result, error = self.rpc(
                        model, "write", [record.id], {name: value}
                    )
                    self.judge(findings, label, status, error, before, record)
                self.env.invalidate_all()
            self.assertEqual(self.snapshot(record), before, "rolled back after each")

    def create_refused(self, model, user, vals, findings, label):
        """``create(vals)`` must fail cleanly and create nothing."""
        self.login(user)
        count = self.env[model].sudo().with_context(active_test=False).search_count([])
        with (
            contextlib.closing(self.env.cr.savepoint()),
            mute_logger("odoo.http", "odoo.sql_db", "odoo.tools.mail"),
        ):
            status, result, error = self.rpc(model, "create", vals)
            if not error:
                findings.append(f"{label}: accepted ({result})")
            elif not (
                error["name"].startswith(CLEAN_ERRORS)
                or error["name"] in CLEAN_BUILTINS
            ):
                findings.append(f"{label}: {error['name']}: {error['message'][:160]}")
            self.env.invalidate_all()
            after = (
                self.env[model].sudo().with_context(active_test=False).search_count([])
            )
            if error and after != count:
                findings.append(f"{label}: refused, yet a record was created")

    # -------------------------------------------------------------- tests

    def test_every_field_of_the_main_forms_refuses_hostile_values_cleanly(self):
        findings = []
        for record, user in (
            (self.dossier_a, self.officer_a),
            (self.draft_a, self.officer_a),
            (self.request, self.requester),
            (self.lending, self.officer_b),
            (self.batch, self.officer_a),
            (self.transfer, self.officer_a),
        ):
            with self.subTest(model=record._name):
                self.attack(record, user, findings)
        self.assertFalse(findings, "\n".join(findings))

    def test_create_with_nothing_or_a_huge_title_creates_nothing(self):
        findings = []
        for model, user in (
            ("cadre.archive.dossier", self.officer_a),
            ("cadre.archive.material", self.officer_a),
            ("cadre.archive.request", self.requester),
            ("cadre.archive.lending", self.officer_b),
            ("cadre.archive.collection", self.officer_a),
            ("cadre.archive.transfer", self.officer_a),
        ):
            self.create_refused(model, user, {}, findings, f"{model}.create({{}})")
        # a material with every field right but a malformed date
        self.create_refused(
            "cadre.archive.material",
            self.officer_a,
            {
                "dossier_id": self.dossier_a.id,
                "category_id": self.cat_cv.id,
                "name": HUGE,
                "date": "1990-02-30",
                "page_count": 2,
            },
            findings,
            "material with a 30th of February",
        )
        self.create_refused(
            "cadre.archive.material",
            self.officer_a,
            {
                "dossier_id": self.dossier_a.id,
                "category_id": self.cat_cv.id,
                "name": "学位证书",
                "date": "1990-02-01",
                "page_count": -3,
            },
            findings,
            "material with -3 pages",
        )
        self.assertFalse(findings, "\n".join(findings))

    def test_a_client_writing_nothing_harmful_still_succeeds(self):
        """The attack above is no test of errors alone: a plain write passes."""
        self.login(self.officer_a)
        status, result, error = self.rpc(
            "cadre.archive.material",
            "write",
            [self.draft_a.id],
            {"name": "学士学位证书"},
        )
        self.assertEqual((status, error, result), (200, None, True))
        self.draft_a.invalidate_recordset()
        self.assertEqual(self.draft_a.name, "学士学位证书")

    def test_computed_figures_are_not_forged_over_rpc(self):
        """What the archive computes (a dossier's material and page counts, a
        batch's counts) is refused to a client: the ORM would store the value
        as sent, and the dossier would claim -1 materials."""
        self.login(self.officer_a)
        targets = [
            (self.dossier_a, {"material_count": -1}),
            (self.dossier_a, {"page_count": 999999}),
            (self.batch, {"material_count": 42}),
        ]
        for record, vals in targets:
            with self.subTest(model=record._name, vals=vals):
                before = self.snapshot(record)
                with mute_logger("odoo.http"):
                    status, _result, error = self.rpc(
                        record._name, "write", [record.id], vals
                    )
                self.assertEqual(status, 200)
                self.assertTrue(error, f"{record._name} {vals} was written")
                self.assertEqual(error["name"], "odoo.exceptions.UserError")
                record.invalidate_recordset()
                self.assertEqual(self.snapshot(record), before)
