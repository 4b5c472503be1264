"""The registry model: distribution 2.0 to 3.0 as one behaviour table.

``Registry(version, **config).handle(Request) -> Response``; see app.py for
the configuration, behaviour.py for what each version does differently.
"""

from .app import Registry
from .behaviour import BEHAVIOURS, REGISTRY_VERSIONS, Behaviour, behaviour, behaviour_rows
from .events import Event
from .negotiate import accepted_types, decide
from .storage import Store

__all__ = ["Registry", "REGISTRY_VERSIONS", "BEHAVIOURS", "Behaviour", "behaviour", "behaviour_rows",
           "Event", "Store", "accepted_types", "decide"]
