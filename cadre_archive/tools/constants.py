# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Names and selections shared by several models of the addon, defined once."""

DOSSIER_MODEL = "cadre.archive.dossier"
MATERIAL_MODEL = "cadre.archive.material"
REQUEST_MODEL = "cadre.archive.request"
RESCAN_MODEL = "cadre.archive.rescan"
RESCAN_FILE_MODEL = "cadre.archive.rescan.file"

# the background jobs of digitization (data/queue_job_data.xml declares it)
OCR_CHANNEL = "root.cadre_archive_ocr"

# quality of a scanned page, and of a material (the worst of its pages)
QUALITY_STATES = [("ok", "Good"), ("warning", "Warning"), ("rescan", "Rescan")]
# OCR of one page
PAGE_OCR_STATES = [
    ("pending", "Not Recognised"),
    ("queued", "Queued"),
    ("done", "Recognised"),
    ("failed", "Failed"),
]
# OCR of a material, from its pages
MATERIAL_OCR_STATES = [
    ("none", "No Scan"),
    ("queued", "In Progress"),
    ("done", "Recognised"),
    ("failed", "Failed"),
]

# --- Approval form of consultation requests (查（借）阅干部人事档案审批表) ---
# political status (政治面貌) of a requester or reader, after GB/T 4762
POLITICAL_STATUSES = [
    ("cpc_member", "CPC Member"),
    ("cpc_probationary", "CPC Probationary Member"),
    ("cyl_member", "CYL Member"),
    ("democratic_party", "Member of a Democratic Party"),
    ("non_party", "Non-Party Personage"),
    ("masses", "Ordinary Citizen"),
]
# the statuses that make a reader a party member (a probationary member has the
# duties of a full member)
PARTY_MEMBER_STATUSES = frozenset({"cpc_member", "cpc_probationary"})
# the identity document a reader from another organisation shows
ID_DOCUMENT_TYPES = [
    ("resident_id", "Resident Identity Card"),
    ("passport", "Passport"),
    ("military_id", "Military Identity Card"),
    ("work_card", "Work Identity Card"),
    ("other", "Other"),
]

# --- Upkeep: materials due after HR events and missing by rule ---
DUE_MODEL = "cadre.archive.due"
DUE_RULE_MODEL = "cadre.archive.due.rule"
MISSING_RULE_MODEL = "cadre.archive.missing.rule"
# the background checks of missing materials (data/queue_job_data.xml)
MISSING_CHANNEL = "root.cadre_archive_missing"
DUE_STATES = [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")]
DUE_ORIGINS = [
    ("hr_event", "HR Event"),
    ("missing_rule", "Missing by Rule"),
    ("manual", "Entered by Hand"),
]
DELAY_UNITS = [("days", "Days"), ("months", "Months")]
# the kinds of HR events that make a material due
DUE_EVENT_KINDS = [
    ("job", "New Post"),
    ("department", "New Unit"),
    ("rank", "New Rank"),
    ("degree", "New Education or Degree"),
    ("title", "New Professional Title"),
    ("award", "Award"),
    ("sanction", "Sanction"),
    ("assessment", "Annual Assessment"),
    ("other", "Other"),
]
# the HR models whose records may make a material due, and the field of each
# that names the employee (False: the record is the employee)
DUE_SOURCE_MODELS = [
    ("hr.version", "Employee Contract Version"),
    ("hr.resume.line", "Resume Line"),
    ("hr.employee", "Employee"),
]
DUE_SOURCE_EMPLOYEE_FIELD = {
    "hr.version": "employee_id",
    "hr.resume.line": "employee_id",
    "hr.employee": False,
}
