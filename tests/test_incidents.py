"""Lesson 09's incidents: every seed gives a well-defined incident, and the checks teach.

Expected causes are stated from the behaviour reference (registry-behavior,
lessons 03-07), not read back from the classifier.
"""

import pytest

import regcompat as rc
from regcompat.incidents import CAUSES, FIXES, classify, incident, incident_pool

SEEDS = range(0, 21)


def test_every_cause_comes_up_in_each_run_of_seeds():
    causes = sorted({c for _, c in incident_pool()})
    assert causes == sorted(CAUSES)
    for start in (0, len(causes)):
        assert sorted(incident(s).cause for s in range(start, start + len(causes))) == causes


def test_the_same_seed_gives_the_same_incident():
    assert incident(5).params == incident(5).params and incident(5).ci_log == incident(5).ci_log


@pytest.mark.parametrize("seed", SEEDS)
def test_each_seed_is_a_well_defined_incident(seed):
    inc = incident(seed)
    assert not inc.result.ok, "an incident is a failure"
    assert inc.ci_log[-1].startswith("ERROR: job failed")
    assert not any(f"# Docker {v}" in line or f"Docker {v}" in line
                   for line in inc.ci_log for v in rc.ENGINE_VERSIONS), "no version named in the evidence"
    ok, text = inc.check_combination(**inc.params)
    assert ok and "reproduces" in text
    ok, text = inc.check_cause(inc.cause)
    assert ok and CAUSES[inc.cause].sign in text
    assert inc.working_fixes, "at least one fix works"


@pytest.mark.parametrize("seed", SEEDS)
def test_wrong_answers_are_refused_with_an_explanation(seed):
    inc = incident(seed)
    wrong_cause = next(c for c in CAUSES if c != inc.cause)
    ok, text = inc.check_cause(wrong_cause)
    assert not ok and CAUSES[wrong_cause].sign in text
    ok, text = inc.check_combination("17.06", "2.8", "17.06", "tag")   # a combination that works
    assert not ok and "both work" in text and "The incident shows" in text
    broken = [f for f in FIXES if f not in inc.working_fixes]
    for fix in broken:
        ok, text, _ = inc.try_fix(fix)
        assert not ok and text


def test_a_named_combination_that_cannot_run_is_refused_not_raised():
    ok, text = incident(0).check_combination("0.1", "2.3.0", "1.9", "tag")
    assert not ok and "cannot be run" in text


def test_the_causes_follow_the_reference():
    # lesson 04: 1.9 by digest of a schema2 manifest; the 2.3.0 header checked by 1.6
    assert classify("1.10", "2.3.1", "1.9", "digest", "pull failed", rc.MediaType.SCHEMA2) == "by-digest-old-client"
    assert classify("1.10", "2.3.0", "1.6", "tag", "pull failed", rc.MediaType.SCHEMA2) == "header-bug"
    # lesson 06: 2.7 refuses schema1 pushes; 3.0 has no schema1, no conversion
    assert classify("1.9", "2.7", "1.9", "tag", "push failed", None) == "schema1-push-off"
    assert classify("1.9", "3.0", "1.9", "tag", "push failed", None) == "no-schema1-at-all"
    assert classify("1.10", "3.0", "1.9", "tag", "pull failed", rc.MediaType.SCHEMA2) == "no-conversion"
    # lesson 07: a current engine and a schema1 image
    assert classify("1.9", "2.2.1", rc.ENGINE_VERSIONS[-1], "tag", "pull failed",
                    rc.MediaType.SCHEMA1_SIGNED) == "modern-refuses-schema1"


def test_a_seed_is_a_non_negative_integer():
    with pytest.raises(ValueError):
        incident(-1)


def test_drawn_incidents_are_failures_the_whole_matrix_lists_with_the_same_cause():
    pool = incident_pool()
    for seed in SEEDS:
        inc = incident(seed)
        assert (inc.params, inc.cause) in pool
