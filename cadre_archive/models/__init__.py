from . import cadre_archive_category
from . import cadre_archive_dossier
from . import cadre_archive_material
from . import ir_attachment
from . import hr_employee
from . import res_users
from . import cadre_archive_demo
