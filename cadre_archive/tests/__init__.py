from . import test_access
from . import test_dossier
from . import test_material
from . import test_filed_lock
from . import test_web_content
from . import test_concurrency
