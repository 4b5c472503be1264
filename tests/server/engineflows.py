"""Run an engine's push and every pull against a target; summarise what the user would see."""

from __future__ import annotations

import regcompat as rc

__all__ = ["PULLERS", "flows"]

PULLERS = ["1.6", "1.9", "1.10", "1.12", "27"]


def _summary(push, pulls, host: str) -> dict:
    """Everything the user sees, with the registry's address (printed by engines) made neutral."""
    def text(value):
        return None if value is None else value.replace(host, "REGISTRY")

    return {
        "push": (push.ok, push.digest, push.media_type, push.size, tuple(map(text, push.output)), text(push.error)),
        "pulls": {key: (p.ok, p.digest, p.media_type, tuple(map(text, p.output)), text(p.error))
                  for key, p in pulls.items()},
    }


def flows(target, image, pusher: str, repo: str, pullers=PULLERS) -> dict:
    """Push ``image`` as ``pusher``, then pull it by tag and by the pushed digest as every puller."""
    push = rc.Engine(pusher, target).push(image, f"{repo}:latest")
    pulls = {}
    for puller in pullers:
        pulls[(puller, "tag")] = rc.Engine(puller, target).pull(f"{repo}:latest")
        if push.digest:
            pulls[(puller, "digest")] = rc.Engine(puller, target).pull(f"{repo}@{push.digest}")
    host = target.removeprefix("http://") if isinstance(target, str) else "localhost:5000"
    return _summary(push, pulls, host)
