"""Every recorded exchange with a real registry, replayed against the model.

Compared: status, Content-Type, Docker-Content-Digest, ETag, Allow, the
Location path (upload ids excepted), Range, Content-Length and the body:
byte for byte, except schema1 documents signed by the registry (compared by
canonical payload: their signatures carry the real registry's random key and
clock) and tag lists before 3.0 (compared as sets: the filesystem driver lists
tags in the host directory's order, which nothing can reproduce; 3.0 sorts them).
"""

from __future__ import annotations

import pytest

from .conformance import SESSIONS, cases, check_exchange, ordered_tags, replay


@pytest.mark.parametrize("name,index", cases(SESSIONS))
def test_recorded_exchange(name: str, index: int) -> None:
    check_exchange(replay(name)[index], ordered_tags=ordered_tags(name))
