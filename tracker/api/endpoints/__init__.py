"""The API's routes, one module per resource; importing them registers them."""

import importlib
import pkgutil

from tracker.api import openapi  # noqa: F401  (its own route)

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")
