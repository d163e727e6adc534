from . import cadre_archive_request_registry_xlsx
from . import cadre_archive_audit_summary_xlsx
