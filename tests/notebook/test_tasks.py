"""The task widgets of issue 9: Classify and the incident desk, driven as a learner would."""

import pytest

from regcompat.incidents import incident
from regcompat.notebook.incident import IncidentDesk
from regcompat.notebook.tasks import Classify


def classify():
    return Classify("Which?", {"A": "<pre>a</pre>", "B": "<pre>b</pre>"}, ["x", "y"], {"A": "x", "B": "y"},
                    {"A": "A is x because of a.", "B": "B is y because of b."})


def test_classify_accepts_all_right_and_explains_each_wrong_item():
    task = classify()
    assert task.check({"A": "x", "B": "y"}).ok and "All 2 right" in task.feedback.value
    verdict = task.check({"A": "y", "B": "y"})
    assert not verdict.ok and "A is x because of a." in verdict and "B is y" not in verdict


def test_classify_from_its_drop_downs_and_unanswered_items():
    task = classify()
    task.button.click()
    assert "Not answered yet: A, B" in task.feedback.value
    task.pickers["A"].value, task.pickers["B"].value = "x", "y"
    task.button.click()
    assert "All 2 right" in task.feedback.value


def test_classify_refuses_answers_outside_the_choices():
    with pytest.raises(ValueError):
        Classify("?", {"A": "a"}, ["x"], {"A": "z"}, {})


def test_incident_desk_checks_a_diagnosis_and_a_fix_without_showing_the_answer():
    desk = IncidentDesk(seed=2)
    hidden = incident(2)
    evidence = desk.children[0].value
    assert "CI log" in evidence and "Wire view" in evidence and "Daemon log" in evidence
    assert f"registry {hidden.params['registry']}" not in evidence
    assert f"Docker {hidden.params['pull_engine']}" not in evidence
    assert not desk.diagnose("?", "2.3.0", "1.9", "tag", "header-bug").ok
    right = desk.diagnose(**hidden.params, cause=hidden.cause)
    assert right.ok and "reproduces the evidence" in desk.feedback.value
    fix = hidden.working_fixes[0]
    assert desk.try_fix(fix).ok and "Confirmed" in desk.fix_feedback.value and "<pre" in desk.fix_feedback.value
    desk.fix.value = fix
    desk.fix_button.click()
    assert "Confirmed" in desk.fix_feedback.value


def test_incident_desk_from_its_drop_downs():
    hidden = incident(4)
    desk = IncidentDesk(seed=4)
    desk.push_engine.value, desk.registry.value = hidden.params["push_engine"], hidden.params["registry"]
    desk.pull_engine.value, desk.by.value = hidden.params["pull_engine"], hidden.params["by"]
    desk.cause.value = next(c for c in desk.cause.options if c[1] not in ("?", hidden.cause))[1]
    desk.check_button.click()
    assert "✔ Versions" in desk.feedback.value and "✘ Cause" in desk.feedback.value
    assert repr(desk) == "IncidentDesk(seed=4)"
