"""Docker Engine clients (1.6 to 28) as data rows plus one push flow and one pull flow.

``Engine(version, target).push(image, "demo/app:latest")`` and ``.pull(ref)``
run the same flows over an in-process registry or an HTTP URL; each result
keeps the printed lines, the daemon log and every HTTP exchange. The rows
(``PROFILES``) are in profiles.py, with the moby source lines they come from.
"""

from .client import Engine, TickingClock
from .profiles import (ENGINE_VERSIONS, PROFILES, SCHEMA1_DEPRECATION, SCHEMA1_REMOVED, EngineProfile, profile,
                       profile_rows)
from .results import PullResult, PushResult

__all__ = ["Engine", "ENGINE_VERSIONS", "PROFILES", "EngineProfile", "profile", "profile_rows",
           "PushResult", "PullResult", "SCHEMA1_DEPRECATION", "SCHEMA1_REMOVED", "TickingClock"]
