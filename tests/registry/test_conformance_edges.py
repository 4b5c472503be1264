"""The second recorded session of every release line (``edges-registry-*.jsonl``),
replayed against the model: the blob-upload state machine, ranges, pagination,
deletion by tag, odd names and error details (the README of the recordings says
what each step does). Compared as the first session is (``check_exchange``);
3.0 sorts its tag list, so its order is compared too.
"""

from __future__ import annotations

import pytest

from .conformance import EDGE_SESSIONS, check_exchange, load, replay

CASES = [
    pytest.param(name, index, id=f"{name.removeprefix('edges-registry-').removesuffix('.jsonl')}"
                                 f"-{index:02d}-{entry.get('step') or entry['request']['method'] + ' upload'}")
    for name in EDGE_SESSIONS for index, entry in enumerate(load(name))
]


@pytest.mark.parametrize("name,index", CASES)
def test_recorded_edge(name: str, index: int) -> None:
    version, _ = EDGE_SESSIONS[name]
    check_exchange(replay(name)[index], ordered_tags=version.startswith("3"))
