"""The incident desk of lesson 09: evidence, a diagnosis form, checks that teach.

:class:`IncidentDesk` shows one :func:`regcompat.incidents.incident` (drawn
from a seed): the CI log, the manifest exchanges as a wire view, the daemon
log. The learner names the push engine, registry, pull engine and tag or
digest, the cause and a fix; *Check diagnosis* checks the first two,
*Try the fix* reruns the hidden scenario with the fix and shows the result.
The answer is never displayed. ``.diagnose(...)`` and ``.try_fix(...)`` do
the same from code and return a :class:`~regcompat.notebook.quiz.Verdict`.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..engine import ENGINE_VERSIONS
from ..incidents import CAUSES, FIXES, ci_log, incident
from ..registry import REGISTRY_VERSIONS
from .quiz import _BAD, _GOOD, Verdict, _note
from .wire import wire_text

__all__ = ["IncidentDesk"]


def _pre(lines) -> str:
    return ('<pre style="white-space:pre-wrap;font-size:12px;margin:2px 0">'
            + html.escape("\n".join(lines)) + "</pre>")


class IncidentDesk(W.VBox):
    """One incident from ``seed``, with its evidence and a diagnosis form."""

    def __init__(self, seed: int):
        self.incident = incident(seed)
        self.seed = seed
        pick = dict(layout=W.Layout(width="max-content"))
        self.push_engine = W.Dropdown(options=["?"] + list(ENGINE_VERSIONS), value="?", description="push", **pick)
        self.registry = W.Dropdown(options=["?"] + list(REGISTRY_VERSIONS), value="?", description="registry",
                                   **pick)
        self.pull_engine = W.Dropdown(options=["?"] + list(ENGINE_VERSIONS), value="?", description="pull", **pick)
        self.by = W.Dropdown(options=["?", "tag", "digest"], value="?", description="by", **pick)
        self.cause = W.Dropdown(options=[("?", "?")] + [(c.title, k) for k, c in CAUSES.items()], value="?",
                                description="cause", layout=W.Layout(width="95%"))
        self.fix = W.Dropdown(options=[("?", "?")] + [(f.title, k) for k, f in FIXES.items()], value="?",
                              description="fix", layout=W.Layout(width="95%"))
        self.check_button = W.Button(description="Check diagnosis", button_style="primary", icon="check")
        self.fix_button = W.Button(description="Try the fix", icon="wrench")
        self.feedback = W.HTML(value="")
        self.fix_feedback = W.HTML(value="")
        self.check_button.on_click(lambda _b: self.diagnose(self.push_engine.value, self.registry.value,
                                                            self.pull_engine.value, self.by.value, self.cause.value))
        self.fix_button.on_click(lambda _b: self.try_fix(self.fix.value))
        evidence = W.HTML(
            f"<b>Incident {seed}.</b> A CI job failed. You have three pieces of evidence."
            "<br><b>CI log</b>" + _pre(self.incident.ci_log)
            + "<b>Wire view</b> (manifest requests only)" + _pre([wire_text(self.incident.exchanges)])
            + "<b>Daemon log</b>" + _pre(self.incident.daemon_log))
        super().__init__([
            evidence,
            W.HTML("<b>Your diagnosis.</b> Which versions, tag or digest, and which cause?"),
            W.HBox([self.push_engine, self.registry, self.pull_engine, self.by]), self.cause,
            self.check_button, self.feedback,
            W.HTML("<b>Your fix.</b> Choose one and try it on the same incident."), self.fix,
            self.fix_button, self.fix_feedback,
        ])

    def diagnose(self, push_engine: str, registry: str, pull_engine: str, by: str, cause: str) -> Verdict:
        """Check a named combination and a cause; both must be right."""
        if "?" in (push_engine, registry, pull_engine, by, cause):
            verdict = Verdict("Not answered yet: choose every drop-down, then check.", False)
            self.feedback.value = _note(html.escape(verdict))
            return verdict
        ok_combo, combo = self.incident.check_combination(push_engine, registry, pull_engine, by)
        ok_cause, why = self.incident.check_cause(cause)
        ok = ok_combo and ok_cause
        text = (("\u2714 " if ok_combo else "\u2718 ") + "Versions: " + combo + "\n"
                + ("\u2714 " if ok_cause else "\u2718 ") + "Cause: " + why)
        verdict = Verdict(text, ok)
        self.feedback.value = _note(html.escape(verdict).replace("\n", "<br>"), _GOOD if ok else _BAD)
        return verdict

    def try_fix(self, fix: str) -> Verdict:
        """Rerun the incident with ``fix`` applied; shows what the CI job would print then."""
        if fix == "?":
            verdict = Verdict("Choose a fix first.", False)
            self.fix_feedback.value = _note(html.escape(verdict))
            return verdict
        ok, text, result = self.incident.try_fix(fix)
        verdict = Verdict(("\u2714 " if ok else "\u2718 ") + text, ok)
        shown = _note(html.escape(verdict), _GOOD if ok else _BAD)
        if result is not None:
            shown += _pre(ci_log(result))
        self.fix_feedback.value = shown
        return verdict

    def __repr__(self) -> str:
        return f"IncidentDesk(seed={self.seed})"
