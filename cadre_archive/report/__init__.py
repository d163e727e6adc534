from . import cadre_archive_register_abstract
from . import cadre_archive_request_registry_xlsx
from . import cadre_archive_collection_register_xlsx
from . import cadre_archive_missing_xlsx
from . import cadre_archive_audit_summary_xlsx
from . import cadre_archive_registers_xlsx
from . import cadre_archive_assessment_xlsx
