"""Every lesson as a learner takes it, in JupyterLab in headless chromium (1366×900).

For each ``notebooks/NN-*.ipynb`` (lessons added later are covered too): open
its learner copy; it must not be marked modified; Run All; no error output, no
widget failing to render, nothing wider than its output area, every ✔ green
and every ✘ red; then every widget is clicked through (each option of each
prediction, a wrong and a right answer and the solution of each self-check,
every control of each Playground, MatrixView, DigestInspector and WireView)
with the same checks after each step; then Kernel > Restart and Run All, and
the checks again. Screenshots of every widget and HTML output go to the
artefacts folder (see conftest.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from regcompat.notebook.workspace import lessons

from . import jlab

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [p.name for p in lessons(ROOT / "notebooks")]

pytestmark = pytest.mark.browser


def assert_clean(page, where: str, within=None) -> dict:
    """The checks every state of a lesson (or of the cell holding ``within``) must pass; returns the report."""
    seen = jlab.report(page, within)
    assert not seen["errors"], f"{where}: error output {seen['errors']}"
    assert not seen["stderr"], f"{where}: stderr output {seen['stderr']}"
    assert seen["unexecuted"] == 0, f"{where}: {seen['unexecuted']} code cells did not run"
    assert not seen["widgetProblems"], f"{where}: widgets not rendered {seen['widgetProblems']}"
    assert not seen["tooWide"], f"{where}: wider than the output area {seen['tooWide']}"
    wrong = jlab.wrong_colours(seen["marks"])
    assert not wrong, f"{where}: {len(wrong)} of {len(seen['marks'])} marks coloured against their meaning: {wrong[:5]}"
    return seen


def settle(page) -> None:
    """Let a widget's message reach the kernel and its answer come back."""
    time.sleep(0.12)
    page.wait_for_function(jlab.READY_JS, timeout=30_000, polling=50)
    jlab.wait_widgets(page)


def click(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    locator.click()
    settle(page)


def feedback_text(root) -> str:
    return root.locator(".widget-html").evaluate_all("(els) => els.map((e) => e.innerText).join('\\n')")


# A kernel-side search for each self-check's right answer among what the lesson defined: digests in
# its variables, versions, HTTP statuses, yes/no, format names. Keyed by the prompt as the learner reads it.
ANSWERS_CODE = r"""
import gc as _gc, html as _html, json as _json, re as _re
import regcompat as _rc
from regcompat.notebook.quiz import SelfCheck as _SelfCheck
def _candidates():
    found = ["yes", "no", "schema1", "schema2", *map(str, (200, 201, 202, 400, 401, 404, 405, 500))]
    found += list(_rc.REGISTRY_VERSIONS) + list(_rc.ENGINE_VERSIONS)
    def add(value):
        if isinstance(value, str) and value.startswith("sha256:") or type(value).__name__ == "Digest":
            found.append(str(value))
        digest = getattr(value, "digest", None)
        if isinstance(digest, str) or type(digest).__name__ == "Digest":
            found.append(str(digest))
    for value in list(globals().values()):
        add(value)
        if isinstance(value, bytes) and value[:1] == b"{":   # a manifest: its digest, and the sha256 of its bytes
            try:
                found.append(str(_rc.manifest_digest(value)))
            except Exception:
                pass
        if isinstance(value, (list, tuple)):
            for item in value[:50]:
                add(item)
    for code in _re.findall(r"<code>(.*?)</code>", " ".join(w.solution for w in _checks)):
        found.append(_html.unescape(code))
    found += [str(n) for n in range(11)]
    for w in _checks:   # words of the solution, prompt and placeholder; the versions a solution names, joined
        text = " ".join(_html.unescape(_re.sub(r"<[^>]+>", " ", t)) for t in (w.solution, w.prompt, w.answer.placeholder))
        found += _re.findall(r"<b>(.*?)</b>", w.solution)
        found += _re.findall(r"[A-Za-z0-9][\w.:+/-]*[A-Za-z0-9]|\d", text)
        versions = list(dict.fromkeys(v for v in _re.findall(r"\b\d+\.\d+(?:\.\d+)?\b", text)
                                      if v in _rc.REGISTRY_VERSIONS))
        for i in range(len(versions)):
            for j in range(i + 1, len(versions) + 1):
                found.append(", ".join(versions[i:j]))
        found.append(", ".join(v for v in _rc.REGISTRY_VERSIONS if v in versions))
    return list(dict.fromkeys(found))
def _ok(widget, value):
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        return bool(widget.checker(value)[0])
    except Exception:
        return False
_checks = [w for w in _gc.get_objects() if isinstance(w, _SelfCheck)]
_found = {}
for _w in _checks:
    _prompt = " ".join(_html.unescape(_re.sub(r"<[^>]+>", "", _w.prompt)).split())
    _found[_prompt] = next((c for c in _candidates() if _ok(_w, c)), None)
print(_json.dumps(_found))
"""


# The texts the lesson gave its questions and self-checks, as the learner should read them.
TEXTS_CODE = r"""
import gc as _gc, json as _json
from regcompat.notebook.quiz import Predict as _Predict, SelfCheck as _SelfCheck
from regcompat.notebook.text import plain as _plain
print(_json.dumps([_plain(w.question) for w in _gc.get_objects() if isinstance(w, _Predict)]
                  + [_plain(w.prompt) for w in _gc.get_objects() if isinstance(w, _SelfCheck)]))
"""


def squash(text: str) -> str:
    return " ".join(text.split())


def check_texts(page) -> int:
    """Every question and prompt reads as the lesson wrote it: no tag swallowed, no Markdown markers."""
    roots = page.locator(".rc-predict, .rc-selfcheck")
    if not roots.count():
        return 0
    expected = json.loads(jlab.execute(page, TEXTS_CODE).strip().splitlines()[-1])
    shown = [squash(roots.nth(i).locator(".widget-html").first.inner_text()) for i in range(roots.count())]
    for text in expected:
        assert any(squash(text) in s for s in shown), f"not shown as written: {text!r} (shown: {shown})"
    for s in shown:
        assert "`" not in s and "**" not in s, f"Markdown markers shown: {s!r}"
    return len(expected)


def check_predictions(page) -> int:
    roots = page.locator(".rc-predict")
    for i in range(roots.count()):
        root = roots.nth(i)
        radios = root.locator("input[type=radio]")
        verdicts = []
        for j in range(radios.count()):
            radios.nth(j).scroll_into_view_if_needed()
            radios.nth(j).check()
            settle(page)
            click(page, root.get_by_role("button", name="Check"))
            text = feedback_text(root)
            assert "\u2714" in text or "\u2718" in text, f"prediction {i}, option {j}: no verdict in {text!r}"
            verdicts.append("\u2714" in text)
        assert verdicts.count(True) == 1, f"prediction {i}: {verdicts.count(True)} options answered right"
    return roots.count()


def prompt_of(root) -> str:
    text = root.locator(".widget-html").first.inner_text()
    return " ".join(text.replace("Self-check.", "", 1).split())


def check_self_checks(page) -> int:
    roots = page.locator(".rc-selfcheck")
    if not roots.count():
        return 0
    answers = json.loads(jlab.execute(page, ANSWERS_CODE).strip().splitlines()[-1])
    for i in range(roots.count()):
        root = roots.nth(i)
        box = root.locator("input[type=text]")
        click(page, root.get_by_role("button", name="Check"))
        assert "answer" in feedback_text(root).lower(), f"self-check {i}: nothing said about an empty answer"
        box.fill("certainly not the answer")
        settle(page)
        click(page, root.get_by_role("button", name="Check"))
        assert "\u2718" in feedback_text(root), f"self-check {i}: a wrong answer was not marked wrong"
        prompt = prompt_of(root)
        right = next((a for p, a in answers.items() if p and p in prompt), None)
        assert right, f"self-check {i} ({prompt!r}): no right answer found among the lesson's values: {answers}"
        box.fill(right)
        settle(page)
        click(page, root.get_by_role("button", name="Check"))
        assert "\u2714" in feedback_text(root), f"self-check {i}: the right answer {right!r} was not accepted"
        click(page, root.get_by_role("button", name="Show solution"))
        assert "Solution" in feedback_text(root)
    return roots.count()


def every_option(page, root, after=None) -> int:
    """Choose every option of every drop-down of ``root``, all drop-downs at once (step k sets each to
    its k-th option, wrapping around), then their first values again; returns how many steps."""
    selects = root.locator("select")
    options, firsts = [], []
    for i in range(selects.count()):
        select = selects.nth(i)
        if select.is_disabled():
            continue
        options.append((select, select.locator("option").evaluate_all("(os) => os.map((o) => o.value)")))
        firsts.append(select.input_value())
    steps = max((len(values) for _, values in options), default=0)
    for k in range(steps + 1):
        for (select, values), first in zip(options, firsts):
            value = first if k == steps else values[k % len(values)]
            if select.input_value() != value and not select.is_disabled():
                select.scroll_into_view_if_needed()
                select.select_option(value)
                settle(page)
        if after:
            after()
    return steps + 1 if options else 0


def every_toggle(page, root, after=None) -> int:
    buttons, done = root.locator(".widget-toggle-buttons button, input[type=checkbox]"), 0
    for i in range(buttons.count()):
        click(page, buttons.nth(i))
        if after:
            after()
        done += 1
    for i in range(buttons.count()):  # checkboxes back as they were
        if buttons.nth(i).get_attribute("type") == "checkbox":
            click(page, buttons.nth(i))
    return done


def check_views(page, where: str) -> dict:
    counts = {}
    for selector, button in ((".rc-playground", "Run"), (".rc-inspector", "Fetch")):
        roots = page.locator(selector)
        for i in range(roots.count()):
            root = roots.nth(i)

            def run(root=root, button=button, i=i, selector=selector):
                click(page, root.get_by_role("button", name=button))
                assert root.locator(".rc-outcome").inner_text().strip(), f"{selector} {i}: no outcome"
                assert_clean(page, f"{where}, {selector} {i}", root)
                if selector == ".rc-inspector":   # the structure and the coverage on one screen
                    height = root.bounding_box()["height"]
                    assert height <= 900, f"the digest inspector is {height:.0f} px tall"
                else:   # a list is pushed by manifest-tool: the push engine is greyed out and a note says so
                    listing = root.locator(".widget-toggle-buttons button.mod-active", has_text="list").count()
                    assert root.locator("select").first.is_disabled() == bool(listing)
                    assert ("manifest-tool" in root.inner_text()) == bool(listing)

            counts[selector] = counts.get(selector, 0) + every_option(page, root, run) + every_toggle(page, root, run)
    # Widgets of other modules (lesson tasks, the incident desk): every drop-down option; every button after
    # every third step and the last (a diagnosis reruns scenarios: pressing after each step took minutes).
    ours = ".rc-predict, .rc-selfcheck, .rc-playground, .rc-inspector, .rc-matrixview, .rc-wireview"
    outputs = page.locator(".jp-OutputArea-output:has(.jupyter-widgets)")
    for i in range(outputs.count()):
        out = outputs.nth(i)
        if out.locator(ours).count():
            continue
        firsts = out.locator("select").evaluate_all("(ss) => ss.map((s) => s.value)")

        steps = [0]

        def press(out=out, i=i, steps=steps):
            steps[0] += 1
            last = all(out.locator("select").nth(k).input_value() == first
                       for k, first in enumerate(firsts)) if steps[0] > 1 else False
            if steps[0] % 3 and not last:
                return
            buttons = out.locator("button:not(.widget-toggle-button)")
            for j in range(buttons.count()):
                if buttons.nth(j).is_enabled():
                    click(page, buttons.nth(j))
            assert_clean(page, f"{where}, widget output {i}", out)

        counts["other"] = counts.get("other", 0) + every_option(page, out, press) + every_toggle(page, out, press)
    for selector in (".rc-matrixview", ".rc-wireview"):
        roots = page.locator(selector)
        for i in range(roots.count()):
            root = roots.nth(i)
            if root.locator("xpath=ancestor::*[contains(@class,'rc-playground')]").count():
                continue  # the Playground's own wire view was driven with it

            def look(i=i, selector=selector, root=root):
                assert_clean(page, f"{where}, {selector} {i}", root)

            counts[selector] = counts.get(selector, 0) + every_option(page, root, look) + every_toggle(page, root, look)
    return counts


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_as_a_learner(page, lab, artifacts, name):
    shots = artifacts / name.removesuffix(".ipynb")
    jlab.open_notebook(page, lab, name)
    time.sleep(1.5)  # the kernel's info (language_info, kernelspec) reaches the model after it is idle
    assert not jlab.dirty(page), "the learner copy is marked modified as soon as it opens"
    assert not page.locator(".jp-OutputArea-output").count(), "the learner copy shows stored outputs"
    assert not page.get_by_text("official Jupyter news").count(), "JupyterLab's news pop-up is showing"
    jlab.run_all(page)
    page.screenshot(path=str(shots.with_name(shots.name + "-top.png")))
    seen = assert_clean(page, "after Run All")
    jlab.screenshot_outputs(page, shots, "run-all")
    check_texts(page)
    predictions = check_predictions(page)
    self_checks = check_self_checks(page)
    views = check_views(page, "clicking through")
    assert_clean(page, "after clicking every widget")
    jlab.screenshot_outputs(page, shots, "clicked")
    assert seen["widgets"] >= predictions + self_checks + len([k for k in views if k != "other"])
    jlab.restart_and_run_all(page)
    assert_clean(page, "after Restart and Run All")
