from . import viewer
