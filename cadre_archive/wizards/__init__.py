from . import cadre_archive_request_refuse
from . import cadre_archive_request_approve
from . import cadre_archive_lending_return
from . import cadre_archive_import
from . import cadre_archive_filing_check
from . import cadre_archive_change_refuse
from . import cadre_archive_scan_upload
from . import cadre_archive_audit_batch
