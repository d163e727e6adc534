# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The registers of the archive as XLSX (登记簿), written row by row.

Each register is rendered as the user who asks for it (report_xlsx renders
with ``sudo(False)``), so the record rules decide which rows it holds. The
records come either as the selection of a list (``objs``) or, from the export
wizard, as a search domain in ``data["domain"]``; they are read in batches
and the cache is emptied after each one, and each row is written to the
workbook (in constant-memory mode) as soon as it is read: the memory of an
export does not grow with its rows.
"""

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import annual_return, xlsx_registers
from ..lib.xlsx_registers import Column

# dossiers per batch of the catalog: some 5,000 materials with 100 each
DOSSIER_BATCH = 50


class CadreArchiveCatalogRegisterXlsx(models.AbstractModel):
    """The catalog register (档案目录登记簿): every material of the dossiers,
    in archive number order then 类号-顺序号 order."""

    _name = "report.cadre_archive.catalog_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Catalog Register (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        columns = [
            Column("number", self.env._("Archive Number")),
            Column("cadre", self.env._("Cadre")),
            Column("unit", self.env._("Unit")),
            Column("code", self.env._("Category-Sequence No.")),
            Column("category", self.env._("Category")),
            Column("title", self.env._("Title"), width=30),
            Column("date", self.env._("Formation Date"), kind="date"),
            Column("pages", self.env._("Pages"), kind="int", total="sum"),
            Column("state", self.env._("Status")),
            Column("scanned", self.env._("Scanned Pages"), kind="int", total="sum"),
            Column("ocr", self.env._("OCR'd Pages"), kind="int", total="sum"),
        ]
        dossier_ids = self._dossier_ids(self._register_domain(objs, data))
        self._write(
            workbook,
            self.env._("Catalog"),
            self.env._("Catalog Register of Personnel Dossiers"),
            columns,
            self._catalog_rows(dossier_ids),
            total_label=self.env._("Total"),
        )

    def _dossier_ids(self, domain):
        """The ids of the dossiers the user may read, in archive number order
        (ids only: ten thousand dossiers are a small list)."""
        return self.env["cadre.archive.dossier"].search(domain, order="name, id").ids

    def _catalog_rows(self, dossier_ids):
        """The rows of the catalog, batch after batch of ``DOSSIER_BATCH``
        dossiers. The materials (the bulk: a hundred per dossier) are read
        by one SQL query per batch built from the ORM's own search as the
        user (``_search``: the record rules' WHERE is in it), fetching only
        the columns written; the dossiers' heads, the categories and the
        units are read through the ORM as the user, once per batch or once
        per export. No record of a material is ever made, and the cache is
        emptied after each batch: the memory does not grow with the rows."""
        states = self._labels("cadre.archive.material", "state")
        categories = {}
        units = {}
        for start in range(0, len(dossier_ids), DOSSIER_BATCH):
            chunk = dossier_ids[start : start + DOSSIER_BATCH]
            heads = self._catalog_heads(chunk, units)
            materials = self._catalog_materials(chunk)
            scanned, ocr = self._page_counts(chunk)
            for (
                mid,
                dossier_id,
                code,
                category_id,
                title,
                day,
                pages,
                state,
            ) in materials:
                yield {
                    **heads[dossier_id],
                    "code": code,
                    "category": self._category_name(categories, category_id),
                    "title": title,
                    "date": day,
                    "pages": pages,
                    "state": states.get(state, ""),
                    "scanned": scanned.get(mid, 0),
                    "ocr": ocr.get(mid, 0),
                }
            self.env.invalidate_all()

    def _catalog_heads(self, chunk, units):
        """Number, cadre and unit per dossier id of ``chunk``, read as the
        user; ``units`` keeps the units' full names across the batches."""
        dossiers = self.env["cadre.archive.dossier"].search_fetch(
            [("id", "in", chunk)], ["name", "employee_id", "department_id"]
        )
        heads = {}
        for dossier in dossiers:
            department = dossier.department_id
            if department.id not in units:
                units[department.id] = department.complete_name or ""
            heads[dossier.id] = {
                "number": dossier.name,
                "cadre": dossier.employee_id.name,
                "unit": units[department.id],
            }
        return heads

    def _catalog_materials(self, chunk):
        """The materials of the dossiers ``chunk`` as tuples (id, dossier id,
        code, category id, title, date, pages, state), in the order of
        ``chunk`` then 类号-顺序号: one query, with the record rules of the
        materials as the user (``_search`` puts them in its WHERE)."""
        materials = self.env["cadre.archive.material"]
        query = materials._search([("dossier_id", "in", chunk)])
        table = materials._table
        query.order = SQL(
            "array_position(%s, %s), %s, %s, %s",
            list(chunk),
            SQL.identifier(table, "dossier_id"),
            SQL.identifier(table, "category_sequence"),
            SQL.identifier(table, "sequence_number"),
            SQL.identifier(table, "id"),
        )
        columns = (
            "id",
            "dossier_id",
            "code",
            "category_id",
            "name",
            "date",
            "page_count",
            "state",
        )
        return self.env.execute_query(
            query.select(*(SQL.identifier(table, column) for column in columns))
        )

    def _category_name(self, names, category_id):
        """The display name of a category, read as the user once per export."""
        if category_id not in names:
            category = (
                self.env["cadre.archive.category"]
                .with_context(active_test=False)
                .browse(category_id)
            )
            names[category_id] = category.display_name if category_id else ""
        return names[category_id]

    def _page_counts(self, dossier_ids):
        """Pages of the current scans per material id of the dossiers, and of
        them those whose text was recognised (read as the user: the page
        rules apply)."""
        scanned, ocr = {}, {}
        groups = self.env["cadre.archive.page"]._read_group(
            [
                ("material_id.dossier_id", "in", dossier_ids),
                ("attachment_id.archive_superseded_by_id", "=", False),
            ],
            ["material_id", "ocr_state"],
            ["__count"],
        )
        for material, state, count in groups:
            scanned[material.id] = scanned.get(material.id, 0) + count
            if state == "done":
                ocr[material.id] = count
        return scanned, ocr


class CadreArchiveUnitStatisticsXlsx(models.AbstractModel):
    """Per unit: dossiers, materials, pages, the shares digitized and OCR'd,
    the materials missing by rule and the expected ones overdue, and the
    special audit (专项审核): the dossiers by the grade of their latest done
    audit, those never audited and the share audited.
    """

    _name = "report.cadre_archive.unit_statistics_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Statistics per Unit (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        domain = self._register_domain(objs, data)
        dossier_ids = self.env["cadre.archive.dossier"].search(domain).ids
        counts = self._unit_counts(dossier_ids)
        rows = (
            dict(values, unit=unit or self.env._("No Unit"))
            for unit, values in sorted(counts.items(), key=lambda kv: kv[0] or "")
        )
        self._write(
            workbook,
            self.env._("Units"),
            self.env._("Personnel Dossiers per Unit"),
            self._unit_columns(),
            self._with_shares(rows),
            total_label=self.env._("Total"),
        )

    def _unit_columns(self):
        share = xlsx_registers.share
        return [
            Column("unit", self.env._("Unit"), width=20),
            Column("dossiers", self.env._("Dossiers"), kind="int", total="sum"),
            Column("materials", self.env._("Materials"), kind="int", total="sum"),
            Column("pages", self.env._("Pages"), kind="int", total="sum"),
            Column(
                "digitized", self.env._("Materials Digitized"), kind="int", total="sum"
            ),
            Column(
                "digitized_share",
                self.env._("Share Digitized"),
                kind="percent",
                total=share("digitized", "materials"),
            ),
            Column("ocr", self.env._("Materials OCR'd"), kind="int", total="sum"),
            Column(
                "ocr_share",
                self.env._("Share OCR'd"),
                kind="percent",
                total=share("ocr", "materials"),
            ),
            Column("missing", self.env._("Missing Materials"), kind="int", total="sum"),
            Column(
                "overdue",
                self.env._("Expected Materials Overdue"),
                kind="int",
                total="sum",
            ),
            *self._audit_columns(),
        ]

    def _audit_grades(self):
        """The grades of the special audit, (key, label), in their order."""
        return list(self._labels("cadre.archive.audit", "grade").items())

    def _audit_columns(self):
        """The special audit (专项审核) per unit: the dossiers whose latest
        done audit has each grade, those never audited and the share
        audited."""
        grade_columns = [
            Column(
                f"audit_{grade}",
                self.env._("Audited: %(grade)s", grade=label),
                kind="int",
                total="sum",
            )
            for grade, label in self._audit_grades()
        ]
        return [
            Column("audited", self.env._("Dossiers Audited"), kind="int", total="sum"),
            *grade_columns,
            Column(
                "never_audited",
                self.env._("Never Audited"),
                kind="int",
                total="sum",
            ),
            Column(
                "audited_share",
                self.env._("Share Audited"),
                kind="percent",
                total=xlsx_registers.share("audited", "dossiers"),
            ),
        ]

    def _latest_audits(self, dossier_ids):
        """(unit id, grade) of the latest done audit of each dossier of
        ``dossier_ids`` that has one, read as the user: one query built on
        the ORM's search (``_search`` puts the record rules in its WHERE),
        the latest by date then id per dossier."""
        audits = self.env["cadre.archive.audit"]
        query = audits._search(
            [("dossier_id", "in", dossier_ids), ("state", "=", "done")]
        )
        table = audits._table
        query.order = SQL(
            "%s, %s DESC, %s DESC",
            SQL.identifier(table, "dossier_id"),
            SQL.identifier(table, "date"),
            SQL.identifier(table, "id"),
        )
        return self.env.execute_query(
            query.select(
                SQL(
                    "DISTINCT ON (%s) %s, %s",
                    SQL.identifier(table, "dossier_id"),
                    SQL.identifier(table, "department_id"),
                    SQL.identifier(table, "grade"),
                )
            )
        )

    def _audit_counts(self, dossier_ids, add):
        """Add the audit's counts per unit through ``add(department, key,
        value)``; the never audited are the dossiers less the audited."""
        departments = self.env["hr.department"]
        for department_id, grade in self._latest_audits(dossier_ids):
            department = departments.browse(department_id)
            add(department, "audited", 1)
            if grade:
                add(department, f"audit_{grade}", 1)

    def _with_shares(self, rows):
        for row in rows:
            yield dict(
                row,
                digitized_share=xlsx_registers.ratio(
                    row["digitized"], row["materials"]
                ),
                ocr_share=xlsx_registers.ratio(row["ocr"], row["materials"]),
                never_audited=row["dossiers"] - row["audited"],
                audited_share=xlsx_registers.ratio(row["audited"], row["dossiers"]),
            )

    def _unit_counts(self, dossier_ids):
        """The counts per unit name of the dossiers ``dossier_ids``, each
        read with ``_read_group`` as the user."""
        keys = (
            "dossiers",
            "materials",
            "pages",
            "digitized",
            "ocr",
            "missing",
            "overdue",
            "audited",
            *(f"audit_{grade}" for grade, __ in self._audit_grades()),
        )
        counts = {}

        def add(department, key, value):
            unit = department.complete_name if department else False
            counts.setdefault(unit, dict.fromkeys(keys, 0))[key] += value or 0

        for department, count in self.env["cadre.archive.dossier"]._read_group(
            [("id", "in", dossier_ids)], ["department_id"], ["__count"]
        ):
            add(department, "dossiers", count)
        in_dossiers = Domain("dossier_id", "in", dossier_ids)
        for department, count, pages in self.env["cadre.archive.material"]._read_group(
            in_dossiers, ["department_id"], ["__count", "page_count:sum"]
        ):
            add(department, "materials", count)
            add(department, "pages", pages)
        current = Domain("material_id.dossier_id", "in", dossier_ids) & Domain(
            "attachment_id.archive_superseded_by_id", "=", False
        )
        pages = self.env["cadre.archive.page"]
        for department, count in pages._read_group(
            current, ["department_id"], ["material_id:count_distinct"]
        ):
            add(department, "digitized", count)
        # OCR'd: digitized, no current page left without its text
        for department, count in pages._read_group(
            current & Domain("ocr_state", "!=", "done"),
            ["department_id"],
            ["material_id:count_distinct"],
        ):
            add(department, "ocr", -count)
        for unit in counts.values():
            unit["ocr"] += unit["digitized"]
        dues = self.env["cadre.archive.due"]
        open_dues = in_dossiers & Domain("state", "=", "open")
        for department, count in dues._read_group(
            open_dues & Domain("origin", "=", "missing_rule"),
            ["department_id"],
            ["__count"],
        ):
            add(department, "missing", count)
        today = fields.Date.context_today(self)
        for department, count in dues._read_group(
            open_dues & Domain("deadline", "<", today),
            ["department_id"],
            ["__count"],
        ):
            add(department, "overdue", count)
        self._audit_counts(dossier_ids, add)
        return counts


class CadreArchiveLendingRegisterXlsx(models.AbstractModel):
    """The lending register (借阅登记簿): each paper file handed out, to whom,
    when it was due and when it came back."""

    _name = "report.cadre_archive.lending_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Lending Register (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        columns = [
            Column("request", self.env._("Request")),
            Column("borrower", self.env._("Borrower")),
            Column("number", self.env._("Archive Number")),
            Column("cadre", self.env._("Cadre")),
            Column("unit", self.env._("Unit")),
            Column("date_out", self.env._("Handed Out On"), kind="date"),
            Column("date_due", self.env._("Due Back On"), kind="date"),
            Column("date_returned", self.env._("Returned On"), kind="date"),
            Column("days_late", self.env._("Days Late"), kind="int", total="sum"),
            Column(
                "pages_out", self.env._("Pages Handed Out"), kind="int", total="sum"
            ),
            Column(
                "pages_returned", self.env._("Pages Returned"), kind="int", total="sum"
            ),
            Column("officer", self.env._("Handed Out By")),
            Column("state", self.env._("Status")),
        ]
        self._write(
            workbook,
            self.env._("Lendings"),
            self.env._("Lending Register of Personnel Dossiers"),
            columns,
            self._lending_rows(self._register_domain(objs, data)),
            total_label=self.env._("Total"),
        )

    def _lending_rows(self, domain):
        states = self._labels("cadre.archive.lending", "state")
        today = fields.Date.context_today(self)
        names = [
            "request_id",
            "borrower_id",
            "dossier_id",
            "department_id",
            "date_out",
            "date_due",
            "date_returned",
            "page_count_out",
            "page_count_returned",
            "officer_id",
            "state",
        ]
        for lendings in self._batches("cadre.archive.lending", domain, names):
            for lending in lendings:
                back = lending.date_returned or today
                yield {
                    "request": lending.request_id.name,
                    "borrower": lending.borrower_id.name,
                    "number": lending.dossier_id.name,
                    "cadre": lending.dossier_id.employee_id.name,
                    "unit": lending.department_id.complete_name or "",
                    "date_out": lending.date_out,
                    "date_due": lending.date_due,
                    "date_returned": lending.date_returned,
                    "days_late": max((back - lending.date_due).days, 0),
                    "pages_out": lending.page_count_out,
                    "pages_returned": lending.page_count_returned,
                    "officer": lending.officer_id.name,
                    "state": states.get(lending.state, ""),
                }


class CadreArchiveAccessLogRegisterXlsx(models.AbstractModel):
    """The access log (查阅记录) as a register: who saw, downloaded or printed
    which material, when, under which request."""

    _name = "report.cadre_archive.access_log_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Access Log (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        columns = [
            Column("when", self.env._("Date and Time"), kind="datetime"),
            Column("user", self.env._("User")),
            Column("action", self.env._("Action")),
            Column("number", self.env._("Archive Number")),
            Column("cadre", self.env._("Cadre")),
            Column("unit", self.env._("Unit")),
            Column("code", self.env._("Material")),
            Column("title", self.env._("Title"), width=24),
            Column("page", self.env._("Page"), kind="int"),
            Column("request", self.env._("Request")),
        ]
        self._write(
            workbook,
            self.env._("Access Log"),
            self.env._("Access Log of Personnel Dossiers"),
            columns,
            self._log_rows(self._register_domain(objs, data)),
        )

    def _log_rows(self, domain):
        actions = self._labels("cadre.archive.access.log", "action")
        names = [
            "create_date",
            "user_id",
            "action",
            "dossier_id",
            "department_id",
            "material_id",
            "page",
            "request_id",
        ]
        for lines in self._batches("cadre.archive.access.log", domain, names):
            for line in lines:
                yield {
                    "when": self._local(line.create_date),
                    "user": line.user_id.name,
                    "action": actions.get(line.action, ""),
                    "number": line.dossier_id.name,
                    "cadre": line.dossier_id.employee_id.name,
                    "unit": line.department_id.complete_name or "",
                    "code": line.material_id.code or "",
                    "title": line.material_id.name or "",
                    "page": line.page or None,
                    "request": line.request_id.name or "",
                }


class CadreArchiveTransferRegisterXlsx(models.AbstractModel):
    """The transfer register (转递登记簿): one row per dossier sent or
    received, with its counts of materials and pages (正本/副本)."""

    _name = "report.cadre_archive.transfer_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Transfer Register (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        columns = [
            Column("transfer", self.env._("Transfer")),
            Column("direction", self.env._("Direction")),
            Column("partner", self.env._("Other Organisation"), width=16),
            Column("date_sent", self.env._("Date Sent"), kind="date"),
            Column("date_received", self.env._("Date Received"), kind="date"),
            Column("state", self.env._("Status")),
            Column("number", self.env._("Archive Number")),
            Column("cadre", self.env._("Cadre")),
            Column("kind", self.env._("Original / Duplicate")),
            Column(
                "original_count",
                self.env._("Original: Materials"),
                kind="int",
                total="sum",
            ),
            Column(
                "original_pages", self.env._("Original: Pages"), kind="int", total="sum"
            ),
            Column(
                "duplicate_count",
                self.env._("Duplicate: Materials"),
                kind="int",
                total="sum",
            ),
            Column(
                "duplicate_pages",
                self.env._("Duplicate: Pages"),
                kind="int",
                total="sum",
            ),
        ]
        self._write(
            workbook,
            self.env._("Transfers"),
            self.env._("Transfer Register of Personnel Dossiers"),
            columns,
            self._transfer_rows(self._register_domain(objs, data)),
            total_label=self.env._("Total"),
        )

    def _transfer_rows(self, domain):
        directions = self._labels("cadre.archive.transfer", "direction")
        states = self._labels("cadre.archive.transfer", "state")
        kinds = self._labels("cadre.archive.transfer.line", "copy_type")
        names = [
            "name",
            "direction",
            "partner_id",
            "date_sent",
            "date_received",
            "state",
            "line_ids",
        ]
        for transfers in self._batches("cadre.archive.transfer", domain, names, 100):
            for transfer in transfers:
                head = {
                    "transfer": transfer.name,
                    "direction": directions.get(transfer.direction, ""),
                    "partner": transfer.partner_id.display_name,
                    "date_sent": transfer.date_sent,
                    "date_received": transfer.date_received,
                    "state": states.get(transfer.state, ""),
                }
                if not transfer.line_ids:
                    yield head
                for line in transfer.line_ids:
                    yield {
                        **head,
                        "number": line.archive_number or line.dossier_id.name,
                        "cadre": line.cadre_name,
                        "kind": kinds.get(line.copy_type, ""),
                        "original_count": line.original_count,
                        "original_pages": line.original_pages,
                        "duplicate_count": line.duplicate_count,
                        "duplicate_pages": line.duplicate_pages,
                    }


class CadreArchiveAnnualReturnXlsx(models.AbstractModel):
    """The annual statistics return (年度统计) as XLSX: one row per unit, then
    the totals."""

    _name = "report.cadre_archive.annual_return_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Annual Statistics Return of the Archive (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        wizard = objs.exists()
        wizard.ensure_one()
        result = wizard._annual_return()
        labels = wizard._item_labels()
        columns = [Column("unit", self.env._("Unit"), width=20)] + [
            Column(item, labels[item], kind="int", total="sum")
            for item in annual_return.ITEMS
        ]
        title = self.env._(
            "Annual Statistics of Personnel Archives, %(year)s", year=result.year
        )
        if wizard.department_id:
            title += f" ({wizard.department_id.complete_name})"
        self._write(
            workbook,
            str(result.year),
            title,
            columns,
            (dict(counts, unit=unit) for unit, counts in result.units),
            total_label=self.env._("Total"),
        )


class CadreArchiveAuditFindingsRegisterXlsx(models.AbstractModel):
    """The audit findings register (审核问题登记簿): one row per finding of
    the special audit, its dossier, rule, severity, state and who settled
    it, with the materials it cites."""

    _name = "report.cadre_archive.audit_findings_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Audit Findings Register (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        columns = [
            Column("number", self.env._("Archive Number")),
            Column("cadre", self.env._("Cadre")),
            Column("unit", self.env._("Unit")),
            Column("audit_date", self.env._("Audited On"), kind="datetime"),
            Column("rule", self.env._("Rule"), width=16),
            Column("severity", self.env._("Severity")),
            Column("veto", self.env._("Single Veto")),
            Column("points", self.env._("Points Off"), kind="int", total="sum"),
            Column("message", self.env._("Finding"), width=40),
            Column("state", self.env._("Status")),
            Column("settled_by", self.env._("Settled By")),
            Column("settled_on", self.env._("Settled On"), kind="datetime"),
            Column("materials", self.env._("Materials Cited"), width=16),
        ]
        self._write(
            workbook,
            self.env._("Findings"),
            self.env._("Audit Findings Register of Personnel Dossiers"),
            columns,
            self._finding_rows(self._register_domain(objs, data)),
            total_label=self.env._("Total"),
        )

    def _finding_rows(self, domain):
        model = "cadre.archive.audit.finding"
        severities = self._labels(model, "severity")
        states = self._labels(model, "state")
        yes = self.env._("Yes")
        names = [
            "audit_id",
            "dossier_id",
            "department_id",
            "rule_id",
            "rule_code",
            "severity",
            "veto",
            "points",
            "message",
            "state",
            "settled_uid",
            "settled_date",
            "material_ids",
        ]
        for findings in self._batches(model, domain, names):
            for finding in findings:
                yield {
                    "number": finding.dossier_id.name,
                    "cadre": finding.dossier_id.employee_id.name,
                    "unit": finding.department_id.complete_name or "",
                    "audit_date": self._local(finding.audit_id.date),
                    "rule": finding.rule_id.display_name or finding.rule_code,
                    "severity": severities.get(finding.severity, ""),
                    "veto": yes if finding.veto else "",
                    "points": finding.points,
                    "message": finding.message or "",
                    "state": states.get(finding.state, ""),
                    "settled_by": finding.settled_uid.name or "",
                    "settled_on": self._local(finding.settled_date),
                    "materials": ", ".join(
                        code for code in finding.material_ids.mapped("code") if code
                    ),
                }
