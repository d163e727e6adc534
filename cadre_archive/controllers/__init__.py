from . import viewer
from . import catalog_template
