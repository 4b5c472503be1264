"""The second recorded session of every release line (``edges-registry-*.jsonl``),
replayed against the model: the blob-upload state machine, ranges, pagination,
deletion by tag, odd names and error details (the README of the recordings says
what each step does). Compared as the first session is (``check_exchange``);
3.0 sorts its tag list, so its order is compared too.
"""

from __future__ import annotations

import pytest

from .conformance import EDGE_SESSIONS, cases, check_exchange, ordered_tags, replay


@pytest.mark.parametrize("name,index", cases(EDGE_SESSIONS))
def test_recorded_edge(name: str, index: int) -> None:
    check_exchange(replay(name)[index], ordered_tags=ordered_tags(name))
