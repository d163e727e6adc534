# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..lib import cadre_grid

AGE_BANDS = [
    ("35_under", "35 and Under (35岁及以下)"),
    ("36_40", "36-40 (36-40岁)"),
    ("41_45", "41-45 (41-45岁)"),
    ("46_50", "46-50 (46-50岁)"),
    ("51_55", "51-55 (51-55岁)"),
    ("56_over", "56 and Over (56岁及以上)"),
]
YEAR_BANDS = [
    ("under_5", "Under 5 Years (不满5年)"),
    ("5_9", "5-9 Years (5-9年)"),
    ("10_19", "10-19 Years (10-19年)"),
    ("20_29", "20-29 Years (20-29年)"),
    ("30_over", "30 Years and More (30年及以上)"),
]
EDUCATION_LEVELS = [
    ("postgraduate", "Postgraduate (研究生)"),
    ("university", "University (大学)"),
    ("college", "College (大专)"),
    ("secondary", "Secondary Vocational (中专)"),
    ("high_school", "High School and Below (高中及以下)"),
]


def lib_sql(built):
    """An ``SQL`` of a (text, params) pair built by ``lib.cadre_grid``."""
    text, params = built
    return SQL(text, *params)


class CadreArchiveCadreAnalysis(models.Model):
    """The grid of cadres (网格式分析): one row per dossier the archive holds
    (not transferred out), with the cadre's age, years of service and of
    party membership, highest education, cadre category, post and rank, and
    their bands, for pivot and graph views.

    Each value comes from the facts of record of the dossier where the
    auditors recorded it, else from HR data; ``source`` says which. The
    bands move with today, so this is a SQL view computed when read, never
    stored; the bands' edges are ``lib.cadre_grid``'s.

    It shows facts of record, which only archive staff read: only officers
    and managers have access rights, and the record rules are the dossier's
    (officers their units, managers their companies, nobody their own).
    """

    _name = "cadre.archive.cadre.analysis"
    _description = "Grid of Cadres"
    _auto = False
    _rec_name = "employee_id"
    _order = "department_id, employee_id"

    dossier_id = fields.Many2one("cadre.archive.dossier", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Cadre", readonly=True)
    department_id = fields.Many2one("hr.department", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        [("in_stock", "In Stock"), ("lent", "Lent")],
        string="Dossier Status",
        readonly=True,
    )
    age = fields.Integer(readonly=True, aggregator="avg")
    age_band = fields.Selection(AGE_BANDS, readonly=True)
    service_years = fields.Integer(
        string="Years of Service",
        readonly=True,
        aggregator="avg",
        help="Full years since the work start (参加工作时间).",
    )
    service_band = fields.Selection(
        YEAR_BANDS, string="Years of Service Band", readonly=True
    )
    party_years = fields.Integer(
        string="Years of Party Membership",
        readonly=True,
        aggregator="avg",
        help="Full years since the party admission of record (党龄).",
    )
    party_band = fields.Selection(
        YEAR_BANDS, string="Party Membership Band", readonly=True
    )
    education = fields.Selection(
        EDUCATION_LEVELS,
        string="Highest Education",
        readonly=True,
        help="The highest completed education of record, else the HR "
        "certificate level (Master and Doctor: 研究生, Bachelor: 大学).",
    )
    cadre_category = fields.Char(
        readonly=True,
        help="The cadre identity of record (干部身份: 公务员, 事业单位管理人员 ...).",
    )
    post = fields.Char(readonly=True)
    rank = fields.Char(readonly=True)
    source = fields.Selection(
        [
            ("facts", "Facts of Record"),
            ("hr", "HR Data"),
            ("mixed", "Facts of Record and HR Data"),
        ],
        readonly=True,
        help="Where the values of the row came from: the facts of record "
        "(认定信息), HR data where none is recorded, or both.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._grid_query(),
            )
        )

    def _grid_query(self):
        """One row per dossier held, its values picked (facts, else HR),
        then banded against today."""
        return SQL(
            """
            WITH picked AS (%(picked)s),
            aged AS (
                SELECT picked.*,
                    date_part('year', age(current_date, birth_date))::int AS age,
                    date_part('year', age(current_date, work_start_date))::int
                        AS service_years,
                    date_part('year', age(current_date, party_date))::int
                        AS party_years
                FROM picked
            )
            SELECT id, dossier_id, employee_id, department_id, company_id, state,
                age, %(age_band)s AS age_band,
                service_years, %(service_band)s AS service_band,
                party_years, %(party_band)s AS party_band,
                education, cadre_category, post, rank,
                CASE
                    WHEN from_facts AND from_hr THEN 'mixed'
                    WHEN from_facts THEN 'facts'
                    WHEN from_hr THEN 'hr'
                END AS source
            FROM aged
            """,
            picked=self._picked_query(),
            age_band=lib_sql(cadre_grid.sql_band("age", cadre_grid.AGE_BANDS)),
            service_band=lib_sql(
                cadre_grid.sql_band("service_years", cadre_grid.SERVICE_BANDS)
            ),
            party_band=lib_sql(
                cadre_grid.sql_band("party_years", cadre_grid.PARTY_BANDS)
            ),
        )

    def _picked_query(self):
        """Each value from the facts of record, else from HR: the birthday,
        the first contract start, the certificate level, the current
        version's post (job title) and rank."""
        return SQL(
            """
            SELECT d.id, d.id AS dossier_id, d.employee_id, d.department_id,
                d.company_id, d.state,
                COALESCE(d.fact_birth_date, e.birthday) AS birth_date,
                COALESCE(d.fact_work_start_date, hr_start.date_start)
                    AS work_start_date,
                d.fact_party_date AS party_date,
                COALESCE(%(fact_education)s, %(hr_education)s) AS education,
                NULLIF(d.fact_identity, '') AS cadre_category,
                COALESCE(NULLIF(fw.post, ''), NULLIF(v.job_title, '')) AS post,
                COALESCE(NULLIF(fw.rank, ''), NULLIF(v.archive_rank, '')) AS rank,
                (d.fact_birth_date IS NOT NULL
                    OR d.fact_work_start_date IS NOT NULL
                    OR d.fact_party_date IS NOT NULL
                    OR fe.rank IS NOT NULL
                    OR NULLIF(d.fact_identity, '') IS NOT NULL
                    OR NULLIF(fw.post, '') IS NOT NULL
                    OR NULLIF(fw.rank, '') IS NOT NULL) AS from_facts,
                ((d.fact_birth_date IS NULL AND e.birthday IS NOT NULL)
                    OR (d.fact_work_start_date IS NULL
                        AND hr_start.date_start IS NOT NULL)
                    OR (fe.rank IS NULL AND %(hr_education)s IS NOT NULL)
                    OR (NULLIF(fw.post, '') IS NULL
                        AND NULLIF(v.job_title, '') IS NOT NULL)
                    OR (NULLIF(fw.rank, '') IS NULL
                        AND NULLIF(v.archive_rank, '') IS NOT NULL)) AS from_hr
            FROM cadre_archive_dossier d
            JOIN hr_employee e ON e.id = d.employee_id
            LEFT JOIN hr_version v ON v.id = e.current_version_id
            LEFT JOIN LATERAL (
                SELECT w.post, w.rank
                FROM cadre_archive_fact_work w
                WHERE w.dossier_id = d.id AND w.date_end IS NULL
                    AND w.concurrent IS NOT TRUE
                ORDER BY w.date_start DESC NULLS LAST, w.sequence, w.id DESC
                LIMIT 1
            ) fw ON TRUE
            LEFT JOIN LATERAL (
                SELECT max(%(education_rank)s) AS rank
                FROM cadre_archive_fact_education ed
                WHERE ed.dossier_id = d.id AND ed.date_end IS NOT NULL
            ) fe ON TRUE
            LEFT JOIN LATERAL (
                SELECT min(hv.contract_date_start) AS date_start
                FROM hr_version hv
                WHERE hv.employee_id = e.id AND hv.active
            ) hr_start ON TRUE
            WHERE d.state != 'transferred'
            """,
            fact_education=lib_sql(cadre_grid.sql_education_key("fe.rank")),
            hr_education=lib_sql(cadre_grid.sql_certificate_education("e.certificate")),
            education_rank=lib_sql(cadre_grid.sql_education_rank("ed.level")),
        )
