"""What a learner would have seen in a terminal: command, printed lines, verdict.

:func:`transcript` renders a push or pull result (``rc.Engine(...).push`` /
``.pull``) as the ``docker`` command, the lines that engine version prints
(``result.output``), and a one-line verdict. Plain text, so nbval compares it.
"""

from __future__ import annotations

__all__ = ["transcript"]


def transcript(result, *, engine: str, command: str) -> str:
    """``$ docker <command>`` (engine ``engine``), the printed lines, then ok/failed."""
    lines = [f"$ docker {command}        # Docker {engine}"]
    lines += [f"  {line}" for line in (result.output or [])]
    if result.ok:
        lines.append("=> ok")
    elif result.output and str(result.error) in result.output[-1]:
        lines.append("=> failed")  # the engine already printed the error
    else:
        lines.append(f"=> failed: {result.error}")
    return "\n".join(lines)
