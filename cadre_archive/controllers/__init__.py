from . import viewer
from . import catalog_template
from . import scan_upload
