"""Predict-first questions and self-check exercises, as small widgets.

* :class:`Predict`: a multiple-choice question answered *before* an experiment
  runs. Every option carries its own feedback (the diagnostic-distractor
  pattern of Carpentries MCQs); pressing *Check* shows it.
* :class:`SelfCheck`: an exercise whose answer is checked by a function. The
  learner types into a text box and presses *Check*, or calls
  ``.check(value)`` from code; either way the verdict is written into the
  widget and returned. A *Show solution* button reveals the hidden solution.

Everything happens in widget state (``.feedback.value``), never through
``print`` inside callbacks, so pytest can drive them by setting ``.value`` and
calling ``.click()``. The ``text/plain`` repr is short and stable, so nbval
can compare the display cells.

Lesson text (questions, options, feedback, prompts, solutions) may be written
as Markdown or HTML: :func:`regcompat.notebook.text.rich` renders it, so
```Accept``` shows as code and ``<schema2>`` as text. An empty answer
checked from code (``exercise.check(None)`` in a "your code here" cell) is
returned as a verdict but leaves the widget alone: after *Run All* the widget
shows nothing until the learner answers.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from .text import plain, rich

__all__ = ["Predict", "SelfCheck", "Verdict"]

_GOOD = "color:#1a7f37"
_BAD = "color:#cf222e"


_BOX = W.Layout(border="1px solid #d0d7de", padding="4px 8px", margin="4px 0", max_width="100%")


def _note(text: str, style: str = "") -> str:
    return f'<div style="{style};padding:2px 0;line-height:1.45">{text}</div>'


class Predict(W.VBox):
    """A multiple-choice prediction: ``options`` maps each answer to its feedback."""

    def __init__(self, question: str, options: dict[str, str], answer: str):
        if answer not in options:
            raise ValueError(f"the answer {answer!r} is not one of the options")
        self.question, self.options, self.answer = question, dict(options), answer
        self.choice = W.RadioButtons(options=[(plain(o), o) for o in options], value=None,
                                     layout=W.Layout(width="auto", max_width="100%"))
        self.button = W.Button(description="Check", button_style="primary", icon="check")
        self.feedback = W.HTML(value="")
        self.button.on_click(self._on_check)
        super().__init__([W.HTML(_note(f"<b>Predict first.</b> {rich(question)}")), self.choice, self.button,
                          self.feedback], layout=_BOX)
        self.add_class("rc-predict")

    @property
    def correct(self) -> bool | None:
        """None until an option is chosen, then whether it is the right one."""
        return None if self.choice.value is None else self.choice.value == self.answer

    def _on_check(self, _button=None) -> None:
        if self.choice.value is None:
            self.feedback.value = _note("Choose an answer first, then press Check.")
            return
        text = rich(self.options[self.choice.value])
        if self.correct:
            self.feedback.value = _note(f"\u2714 Right. {text}", _GOOD)
        else:
            self.feedback.value = _note(f"\u2718 Not quite. {text} Run the experiment below and look again.", _BAD)

    def __repr__(self) -> str:
        return f"Predict({self.question!r}, {len(self.options)} options)"


class Verdict(str):
    """The text of a self-check verdict; ``.ok`` says whether it passed."""

    ok: bool

    def __new__(cls, text: str, ok: bool) -> "Verdict":
        obj = str.__new__(cls, text)
        obj.ok = ok
        return obj


class SelfCheck(W.VBox):
    """An exercise checked by ``checker(value) -> (ok, feedback)``, with a hidden solution."""

    def __init__(self, prompt: str, checker: Callable[[str], tuple[bool, str]], solution: str, *,
                 placeholder: str = "type your answer"):
        self.prompt, self.checker, self.solution = prompt, checker, solution
        # "auto" fills the box less the widget's margins (a width of 100% plus margins stuck out of it)
        self.answer = W.Text(value="", placeholder=placeholder, layout=W.Layout(width="auto", max_width="48em"))
        self.button = W.Button(description="Check", button_style="primary", icon="check")
        self.reveal = W.Button(description="Show solution", icon="eye")
        self.feedback = W.HTML(value="")
        self.solution_box = W.HTML(value="")
        self.button.on_click(self._on_check)
        self.reveal.on_click(self._on_reveal)
        super().__init__([
            W.HTML(_note(f"<b>Self-check.</b> {rich(prompt)}")), self.answer,
            W.HBox([self.button, self.reveal]), self.feedback, self.solution_box,
        ], layout=_BOX)
        self.add_class("rc-selfcheck")

    def _on_check(self, _button=None) -> None:
        if not self.answer.value.strip():
            self.feedback.value = _note("Type your answer in the box first, then press Check.")
            return
        self.check(self.answer.value)

    def check(self, value) -> Verdict:
        """Check ``value`` (text or any object the checker accepts); returns the verdict.

        An empty answer (None or blank) is returned as "Not answered yet" without touching the widget.
        """
        if value is None or (isinstance(value, str) and not value.strip()):
            return Verdict("Not answered yet: put your answer in and check again.", False)
        try:
            ok, message = self.checker(value.strip() if isinstance(value, str) else value)
        except (ValueError, TypeError) as err:
            ok, message = False, f"That answer could not be read: {err}"
        verdict = Verdict(("\u2714 " if ok else "\u2718 ") + message, ok)
        self.feedback.value = _note(("\u2714 " if ok else "\u2718 ") + rich(message), _GOOD if ok else _BAD)
        return verdict

    def _on_reveal(self, _button=None) -> None:
        self.solution_box.value = f'<details open><summary>Solution</summary><div>{rich(self.solution)}</div></details>'

    def __repr__(self) -> str:
        return f"SelfCheck({self.prompt!r})"
