"""Every recorded exchange with a real registry, replayed against the model.

Compared: status, Content-Type, Docker-Content-Digest, ETag, Allow, the
Location path (upload ids excepted), Range, Content-Length and the body:
byte for byte, except schema1 documents signed by the registry (compared by
canonical payload: their signatures carry the real registry's random key and
clock) and tag lists (compared as sets: the filesystem driver lists tags in
the host directory's order, which nothing can reproduce).
"""

from __future__ import annotations

import pytest

from .conformance import SESSIONS, check_exchange, load, replay

CASES = [
    pytest.param(name, index, id=f"{SESSIONS[name][0]}{'+schema1' if SESSIONS[name][1] else ''}"
                                 f"-{index:02d}-{entry.get('step') or entry['request']['method'] + ' upload'}")
    for name in SESSIONS for index, entry in enumerate(load(name))
]


@pytest.mark.parametrize("name,index", CASES)
def test_recorded_exchange(name: str, index: int) -> None:
    check_exchange(replay(name)[index])
