# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Names and selections shared by several models of the addon, defined once."""

DOSSIER_MODEL = "cadre.archive.dossier"
MATERIAL_MODEL = "cadre.archive.material"
REQUEST_MODEL = "cadre.archive.request"

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
