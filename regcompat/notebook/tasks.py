"""Small assessed tasks beyond a single answer: sort items into classes.

:class:`Classify` shows several items (manifest bytes, wire lines, log
lines), each with a drop-down of the same choices, and checks them all at
once; every wrong item gets its own explanation. It serves "classify four
unlabelled manifests" and "mark each line of a wire view ✔ or ✘" alike.
Like :mod:`.quiz`, the verdict lives in widget state (``.feedback.value``)
and ``.check(answers)`` can be called from code or pytest.
"""

from __future__ import annotations

import html

import ipywidgets as W

from .quiz import _BAD, _GOOD, Verdict, _note

__all__ = ["Classify"]


class Classify(W.VBox):
    """``items`` maps a label to what is shown (HTML); ``answers`` maps each label to its right choice.

    ``explain`` maps a label to the reason for its right choice, shown when
    the learner gets that item wrong.
    """

    def __init__(self, prompt: str, items: dict[str, str], choices: list[str], answers: dict[str, str],
                 explain: dict[str, str]):
        if set(items) != set(answers) or not set(answers.values()) <= set(choices):
            raise ValueError("every item needs one answer among the choices")
        self.prompt, self.items, self.choices = prompt, dict(items), list(choices)
        self.answers, self.explain = dict(answers), dict(explain)
        self.pickers = {label: W.Dropdown(options=["?"] + self.choices, value="?",
                                          layout=W.Layout(width="max-content")) for label in items}
        rows = [W.VBox([W.HTML(f"<b>{html.escape(label)}</b>"), W.HTML(shown), self.pickers[label]])
                for label, shown in items.items()]
        self.button = W.Button(description="Check", button_style="primary", icon="check")
        self.feedback = W.HTML(value="")
        self.button.on_click(lambda _b: self.check({k: p.value for k, p in self.pickers.items()}))
        super().__init__([W.HTML(f"<b>Task.</b> {prompt}"), *rows, self.button, self.feedback])

    def check(self, answers: dict[str, str]) -> Verdict:
        """Check a label -> choice mapping; every item must be answered."""
        missing = [k for k in self.items if answers.get(k) in (None, "?")]
        if missing:
            verdict = Verdict(f"Not answered yet: {', '.join(missing)}.", False)
            self.feedback.value = _note(html.escape(verdict))
            return verdict
        wrong = [k for k in self.items if answers[k] != self.answers[k]]
        if not wrong:
            verdict = Verdict(f"\u2714 All {len(self.items)} right.", True)
        else:
            lines = [f"\u2718 {len(wrong)} of {len(self.items)} not right yet:"]
            lines += [f"{k}: {self.explain.get(k, 'look again.')}" for k in wrong]
            verdict = Verdict("\n".join(lines), False)
        self.feedback.value = _note(html.escape(verdict).replace("\n", "<br>"), _GOOD if verdict.ok else _BAD)
        return verdict

    def __repr__(self) -> str:
        return f"Classify({self.prompt!r}, {len(self.items)} items)"
