"""Incidents for the capstone lesson: a failure from a hidden combination, to diagnose.

An :class:`Incident` is one failing scenario (push engine, registry version,
pull engine, tag or digest) drawn from a seed. What a learner gets is only the
evidence a real team would have: the CI log (the lines each ``docker``
command printed, no version numbers), the manifest exchanges on the wire, and
the daemon log. They name the combination, the cause and a fix; the checks
here say whether each is right, and explain why not.

* :func:`incident` draws a cause, then a scenario of that cause, with
  ``random.Random(seed)``: the same seed gives the same incident for the same
  engine and registry versions. It runs only the scenarios it considers, so
  it is fast; :func:`incident_pool` runs the whole matrix and lists every
  failing single-image scenario with its cause (for tests and instructors).
* A named combination is accepted when it reproduces the evidence (same
  outcome, same printed lines, same manifest statuses and types, digests
  masked): combinations the evidence cannot tell apart are all right.
* A cause is classified from the scenario and the behaviour rows (registry
  ``Behaviour``, engine ``EngineProfile``), never from a version string.
* A fix is tried, not looked up: it changes the scenario (:data:`FIXES`) and
  reruns it; it is right when the push and the pull then work.

Left out: manifest lists, authentication, tag moves (one push, one pull).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .engine import ENGINE_VERSIONS
from .engine.profiles import profile
from .mediatypes import MediaType, is_schema1
from .registry import REGISTRY_VERSIONS, behaviour
from .scenarios import compatibility_matrix, scenario

__all__ = ["Cause", "Fix", "CAUSES", "FIXES", "Incident", "incident", "incident_pool", "classify"]


@dataclass(frozen=True)
class Cause:
    title: str
    sign: str       # what in the evidence points at it
    lesson: str


@dataclass(frozen=True)
class Fix:
    title: str
    note: str       # what the fix costs, said when it works


CAUSES: dict[str, Cause] = {
    "by-digest-old-client": Cause(
        "An engine that reads only schema1 pulled a schema2 manifest by digest: the registry may not convert it",
        "the manifest GET names a digest, has no schema2 in Accept, and is answered 200 with schema2", "04"),
    "header-bug": Cause(
        "Registry 2.3.0 sent the stored digest in the header of a converted manifest",
        "a tag GET answered with signed schema1 whose Docker-Content-Digest does not match the body (✘), "
        "and a client that checks that header", "04"),
    "no-conversion": Cause(
        "The registry no longer converts schema2 to schema1 (registry 3.0)",
        "a tag GET with no schema2 in Accept is answered with schema2 as stored", "06"),
    "schema1-push-off": Cause(
        "The registry refuses schema1 pushes by default (registry 2.7 and later)",
        "the schema1 manifest PUT is answered 500 UNKNOWN, with no hint why", "06"),
    "no-schema1-at-all": Cause(
        "The registry has no schema1 code at all (registry 3.0): a schema1 push is refused",
        "the schema1 manifest PUT is answered 400 MANIFEST_INVALID", "06"),
    "modern-refuses-schema1": Cause(
        "A current engine refuses to pull schema1 images",
        "the manifest served is signed schema1 and the engine prints a DEPRECATION NOTICE", "07"),
    "old-registry-no-fallback": Cause(
        "An engine from Docker 20.10 on pushes schema2 only, and a registry before 2.3 cannot store it",
        "one schema2 manifest PUT answered 400 and no second PUT: no schema1 fallback", "03"),
}

MODERN = ENGINE_VERSIONS[-1]

FIXES: dict[str, Fix] = {
    "pull-by-tag": Fix("Pull by tag instead of by digest",
                       "It works, but the deployment loses its pin: the tag can move, and an old client then gets "
                       "converted bytes whose digest nobody stored."),
    "puller-17.06": Fix("Upgrade the pulling engine to Docker 17.06",
                        "It works and keeps the digest pin: 17.06 reads schema2 and still reads schema1."),
    "pusher-17.06": Fix("Push with Docker 17.06 instead",
                        "It works: 17.06 pushes schema2 and falls back to schema1 only when a registry refuses it."),
    "registry-2.8": Fix("Run registry 2.8 instead",
                        "It works: 2.8 stores schema2, converts by tag for old clients, and sends the right header."),
    "schema1-on": Fix("Turn schema1 pushes on in the registry (compatibility.schema1.enabled: true)",
                      "It works, but it keeps a deprecated format alive: plan to move the pushers on."),
    "repush-current": Fix(f"Re-push the image with a current engine (Docker {MODERN}) into a registry 2.8",
                          "It works: the image is stored as schema2, which every engine from 1.10 on reads."),
}

_FIX_CHANGES = {
    "pull-by-tag": {"by": "tag"},
    "puller-17.06": {"pull_engine": "17.06"},
    "pusher-17.06": {"push_engine": "17.06"},
    "registry-2.8": {"registry": "2.8"},
    "schema1-on": {"schema1_push": True},
    "repush-current": {"push_engine": MODERN, "registry": "2.8"},
}


def classify(push_engine: str, registry: str, pull_engine: str, by: str, outcome: str,
             pushed_media_type: str | None) -> str | None:
    """The id of the cause of a failing scenario, or None when it is none of :data:`CAUSES`."""
    b, pusher, puller = behaviour(registry), profile(push_engine), profile(pull_engine)
    if outcome == "push failed":
        if pusher.push == "schema1":
            if not b.schema1:
                return "no-schema1-at-all"
            return "schema1-push-off" if b.schema1_push_switch else None
        if not pusher.fallback and b.put_parser.startswith("schema1"):
            return "old-registry-no-fallback"
        return None
    if outcome != "pull failed":
        return None
    stored_schema1 = pushed_media_type is not None and is_schema1(pushed_media_type)
    reads_schema2 = MediaType.SCHEMA2 in puller.accept
    if stored_schema1 and puller.schema1_pull_refused:
        return "modern-refuses-schema1"
    if stored_schema1 or reads_schema2:
        return None
    if by == "digest":
        return "by-digest-old-client"
    if not b.converts_schema2:
        return "no-conversion"
    if b.converted_digest_header == "stored" and puller.pull_family in ("v1.6", "v1.7"):
        return "header-bug"
    return None


_POOL: dict[tuple, list[tuple[dict, str]]] = {}


def incident_pool() -> list[tuple[dict, str]]:
    """Every failing single-image scenario with a known cause, as (params, cause id); runs the matrix."""
    key = (ENGINE_VERSIONS, REGISTRY_VERSIONS)
    if key not in _POOL:
        pool = []
        for row in compatibility_matrix(kinds=("image",)):
            if row["ok"]:
                continue
            cause = classify(row["pusher"], row["registry"], row["puller"], row["by"], row["outcome"],
                             row["pushed_media_type"])
            if cause:
                params = {"push_engine": row["pusher"], "registry": row["registry"],
                          "pull_engine": row["puller"], "by": row["by"]}
                pool.append((params, cause))
        _POOL[key] = pool
    return list(_POOL[key])


def _likely_cause(push_engine: str, registry: str, pull_engine: str, by: str) -> str | None:
    """The cause a scenario would have if it failed, guessed from the rows without running it.

    Only a pre-filter for :func:`incident`, which then runs the scenario and keeps
    it only when :func:`classify` of the real outcome agrees.
    """
    b, pusher = behaviour(registry), profile(push_engine)
    if pusher.push == "schema1":
        if not b.schema1 or b.schema1_push_switch:
            return classify(push_engine, registry, pull_engine, by, "push failed", None)
        stored = MediaType.SCHEMA1_SIGNED
    elif b.put_parser.startswith("schema1"):
        if not pusher.fallback:
            return classify(push_engine, registry, pull_engine, by, "push failed", None)
        stored = MediaType.SCHEMA1_SIGNED
    else:
        stored = MediaType.SCHEMA2
    return classify(push_engine, registry, pull_engine, by, "pull failed", stored)


_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _mask(text: str) -> str:
    return _DIGEST.sub("sha256:…", text)


def _run(params: dict):
    params = dict(params)
    config = {k: params.pop(k) for k in ("schema1_push",) if k in params}
    return scenario(**params, **config)


def _manifest_exchanges(result) -> list:
    exchanges = list(result.push.exchanges) + (list(result.pull.exchanges) if result.pull else [])
    return [x for x in exchanges if "/manifests/" in x.request.path]


def ci_log(result) -> list[str]:
    """The lines a CI job printed: each command, then what that engine printed, no versions."""
    lines = ["$ docker push demo/app:latest"] + [f"  {line}" for line in result.push.output]
    if result.pull is not None:
        lines += [f"$ docker pull {result.reference}"] + [f"  {line}" for line in result.pull.output]
    lines.append(f"ERROR: job failed ({result.outcome})" if not result.ok else "job succeeded")
    return lines


def daemon_log(result) -> list[str]:
    log = list(result.push.daemon_log) + (list(result.pull.daemon_log) if result.pull else [])
    return log or ["(nothing logged)"]


def _signature(result) -> tuple:
    wire = tuple((x.request.method, _mask(x.request.path), x.response.status,
                  (x.response.headers.get("Content-Type") or "").split(";")[0])
                 for x in _manifest_exchanges(result))
    return (result.outcome, tuple(_mask(line) for line in ci_log(result)), wire,
            tuple(_mask(line) for line in daemon_log(result)))


def _summary(result) -> str:
    if result.ok:
        return "the push and the pull both work"
    return f"{result.outcome}: {_mask(str(result.error))}"


@dataclass
class Incident:
    """One incident: the hidden scenario, its cause, and the checks of a diagnosis."""

    seed: int
    params: dict = field(repr=False)
    cause: str = field(repr=False)

    def __post_init__(self):
        self.result = _run(self.params)

    @property
    def ci_log(self) -> list[str]:
        return ci_log(self.result)

    @property
    def daemon_log(self) -> list[str]:
        return daemon_log(self.result)

    @property
    def exchanges(self) -> list:
        """The manifest requests of the push and the pull, in order."""
        return _manifest_exchanges(self.result)

    def check_combination(self, push_engine: str, registry: str, pull_engine: str, by: str) -> tuple[bool, str]:
        """Right when that combination reproduces the evidence; otherwise what it would show instead."""
        try:
            named = _run({"push_engine": push_engine, "registry": registry, "pull_engine": pull_engine, "by": by})
        except (KeyError, ValueError) as err:
            return False, f"That combination cannot be run: {err}"
        if _signature(named) == _signature(self.result):
            return True, ("That combination reproduces the evidence exactly: same lines printed, same requests "
                          "and answers on the wire.")
        mine, theirs = _signature(named), _signature(self.result)
        if mine[0] != theirs[0] or _mask(str(named.error)) != _mask(str(self.result.error)):
            why = f"With it, {_summary(named)}. The incident shows: {_summary(self.result)}."
        else:
            why = "It fails the same way, but "
            if mine[2] != theirs[2]:
                why += (f"the wire differs: yours has {len(mine[2])} manifest requests answered "
                        f"{', '.join(str(w[2]) for w in mine[2])}; the incident's are answered "
                        f"{', '.join(str(w[2]) for w in theirs[2])}.")
            else:
                why += ("the lines printed differ: compare the CI logs line by line (each engine version prints "
                        "its own wording) and the daemon log.")
        return False, why

    def check_cause(self, cause: str) -> tuple[bool, str]:
        if cause not in CAUSES:
            return False, f"Choose one of the causes listed (not {cause!r})."
        if cause == self.cause:
            return True, f"That is the cause: {CAUSES[cause].sign} (lesson {CAUSES[cause].lesson})."
        return False, (f"If that were the cause, you would see {CAUSES[cause].sign}. Look again at the evidence: "
                       "which request failed, and how?")

    def try_fix(self, fix: str):
        """Apply the fix to the hidden scenario and run it: (works, feedback, the new result)."""
        if fix not in FIXES:
            return False, f"Choose one of the fixes listed (not {fix!r}).", None
        params = {**self.params, **_FIX_CHANGES[fix]}
        try:
            fixed = _run(params)
        except (KeyError, ValueError, TypeError) as err:
            return False, f"That fix does not apply here: {err}", None
        if fixed.ok:
            return True, f"Confirmed: with that change {_summary(fixed)}. {FIXES[fix].note}", fixed
        return False, f"Tried it: with that change, {_summary(fixed)}.", fixed

    @property
    def working_fixes(self) -> list[str]:
        return [f for f in FIXES if self.try_fix(f)[0]]


def incident(seed: int) -> Incident:
    """The incident drawn from ``seed`` (an int >= 0).

    Seeds are dealt like cards: each run of ``len(causes)`` consecutive seeds
    (0-6, 7-13, ...) gives every cause once, in an order shuffled per run; then
    ``random.Random(seed)`` picks a scenario of that cause, among those that
    one fix of :data:`FIXES` repairs (two problems at once make a poor exercise).
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"a seed is an integer >= 0, not {seed!r}")
    causes = sorted(CAUSES)
    deck = causes[:]
    random.Random(seed // len(causes)).shuffle(deck)
    cause = deck[seed % len(causes)]
    candidates = [{"push_engine": pe, "registry": r, "pull_engine": pl, "by": by}
                  for pe in ENGINE_VERSIONS for r in REGISTRY_VERSIONS for pl in ENGINE_VERSIONS
                  for by in ("tag", "digest") if _likely_cause(pe, r, pl, by) == cause]
    random.Random(seed).shuffle(candidates)
    for params in candidates:
        drawn = Incident(seed, params, cause)
        result = drawn.result
        if result.ok or classify(params["push_engine"], params["registry"], params["pull_engine"], params["by"],
                                 result.outcome, result.push.media_type) != cause:
            continue
        if any(drawn.try_fix(fix)[0] for fix in FIXES):
            return drawn
    raise LookupError(f"no incident of cause {cause!r} has a single fix")
