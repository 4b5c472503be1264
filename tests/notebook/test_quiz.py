"""Predict and SelfCheck widgets driven as a learner would: set .value, click."""

import pytest

from regcompat.notebook.quiz import Predict, SelfCheck


def make_predict():
    return Predict("Which digest does Docker 1.9 print?", {
        "S, the stored digest": "S is what was stored, but 1.9 gets other bytes.",
        "C, the converted digest": "The registry converted the manifest.",
        "No digest: the pull fails": "By tag, the pull works.",
    }, answer="C, the converted digest")


def test_checking_without_a_choice_asks_for_one():
    p = make_predict()
    p.button.click()
    assert "Choose an answer first" in p.feedback.value
    assert p.correct is None


def test_a_wrong_choice_shows_its_own_feedback():
    p = make_predict()
    p.choice.value = "S, the stored digest"
    p.button.click()
    assert p.correct is False
    assert "Not quite" in p.feedback.value and "other bytes" in p.feedback.value


def test_the_right_choice_is_confirmed():
    p = make_predict()
    p.choice.value = "C, the converted digest"
    p.button.click()
    assert p.correct is True and "Right" in p.feedback.value


def test_predict_refuses_an_answer_that_is_not_an_option():
    with pytest.raises(ValueError):
        Predict("q", {"a": "x"}, answer="b")


def test_predict_repr_is_short_and_stable():
    assert repr(make_predict()) == "Predict('Which digest does Docker 1.9 print?', 3 options)"


def make_check():
    def checker(value):
        return (value == "sha256", "sha256 it is." if value == "sha256" else f"{value!r} is not the algorithm.")
    return SelfCheck("Which algorithm?", checker, solution="<code>sha256</code>")


def test_selfcheck_from_the_text_box():
    s = make_check()
    s.button.click()
    assert "Type your answer in the box first" in s.feedback.value
    s.answer.value = "md5"
    s.button.click()
    assert "is not the algorithm" in s.feedback.value
    s.answer.value = "  sha256 "
    s.button.click()
    assert "sha256 it is" in s.feedback.value


def test_selfcheck_from_code_returns_a_verdict():
    s = make_check()
    verdict = s.check("sha256")
    assert verdict.ok and verdict.startswith("\u2714")
    assert not s.check(None).ok


def test_an_empty_answer_from_code_leaves_the_widget_alone():
    """A 'your code here' cell runs check(None) during Run All: the widget must not say 'Not answered yet'."""
    s = make_check()
    verdict = s.check(None)
    assert not verdict.ok and verdict.startswith("Not answered yet")
    assert s.feedback.value == ""
    s.check("md5")
    before = s.feedback.value
    s.check("   ")
    assert s.feedback.value == before


def test_lesson_text_written_as_markdown_shows_as_html():
    """Backticks, asterisks and <placeholders> as lessons write them (lessons 02, 04, 06, 08)."""
    p = Predict("curl sends one header, `Accept: <schema2>, <manifest list>`, to registry 2.3.1. *What* comes back?",
                {"schema1, `converted`": "Registries before 2.5 do **not** split `Accept`.", "406": "never <406>"},
                answer="schema1, `converted`")
    question = p.children[0].value
    assert "<code>Accept: &lt;schema2&gt;, &lt;manifest list&gt;</code>" in question and "<em>What</em>" in question
    assert "`" not in question and "*" not in question
    assert p.choice._options_labels == ("schema1, converted", "406")   # radio labels are plain text
    p.choice.value = "schema1, `converted`"
    p.button.click()
    assert p.correct and "<b>not</b> split <code>Accept</code>" in p.feedback.value
    p.choice.value = "406"
    p.button.click()
    assert "never &lt;406&gt;" in p.feedback.value
    s = SelfCheck("Enter the status of `GET /v2/<name>/manifests/<digest>`.",
                  lambda v: (v == "404", "Right: **404**, C is `never` stored."),
                  solution="<pre>registry.handle(req).status   # 404 for a * b</pre> and *why*")
    assert "<code>GET /v2/&lt;name&gt;/manifests/&lt;digest&gt;</code>" in s.children[0].value
    s.check("404")
    assert "<b>404</b>" in s.feedback.value and "<code>never</code>" in s.feedback.value
    s.reveal.click()
    assert "<pre>registry.handle(req).status   # 404 for a * b</pre>" in s.solution_box.value
    assert "<em>why</em>" in s.solution_box.value


def test_checker_errors_become_feedback_not_tracebacks():
    def checker(value):
        raise ValueError("invalid checksum digest format")
    s = SelfCheck("?", checker, solution="")
    verdict = s.check("sha256:nope")
    assert not verdict.ok and "invalid checksum digest format" in verdict


def test_solution_is_hidden_until_asked_for():
    s = make_check()
    assert s.solution_box.value == ""
    s.reveal.click()
    assert "<code>sha256</code>" in s.solution_box.value
