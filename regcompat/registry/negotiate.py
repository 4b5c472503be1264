"""Content negotiation for manifest GET/HEAD, as pure functions over data.

:func:`accepted_types` reads the ``Accept`` headers the way each version did
(registry-behavior.md section 2); :func:`decide` says what the registry does
with a stored manifest: serve it, convert it to schema1, pick a list's
default-platform child, or refuse. The rules are lifted out of distribution's
``GetManifest`` handler:

  * schema2 is converted only when fetched **by tag** ("by digest, we can't
    return something not matching the digest"), only by 2.3-2.8, and only
    when the client did not list the schema2 type;
  * a manifest list fetched by tag by a client that did not list the list
    type is replaced by its first ``amd64``/``linux`` entry, which is itself
    converted if it is schema2 and schema2 was not listed (3.0 refuses that);
  * an OCI manifest or index the client did not list is answered 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mediatypes import MediaType
from .behaviour import Behaviour

__all__ = ["accepted_types", "Decision", "decide", "DECISION_TABLE"]


def accepted_types(b: Behaviour, accept_headers: list[str]) -> frozenset[str]:
    """The media types the registry believes the client accepts."""
    if b.accept == "ignored":
        return frozenset()
    if b.accept == "exact":
        return frozenset(accept_headers)
    found = set()
    for header in accept_headers:
        for item in header.split(","):
            if b.accept == "split":
                found.add(item.split(";", 1)[0].strip())
                continue
            media_type = item.split(";", 1)[0].strip().lower()
            if "/" in media_type and " " not in media_type and not media_type.startswith("/") \
                    and not media_type.endswith("/"):
                found.add(media_type)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Decision:
    """``action`` is one of: serve, convert, child, refuse."""

    action: str
    reason: str
    then: "Decision | None" = None   # for "child": what happens to the chosen child
    error: str | None = None         # for "refuse": the error message


def decide(b: Behaviour, kind: str, by_tag: bool, accepted: frozenset[str]) -> Decision:
    """What version ``b`` does with a stored manifest of ``kind`` for this client."""
    if kind == "oci-manifest" and MediaType.OCI_MANIFEST not in accepted:
        return Decision("refuse", "OCI manifest not in Accept",
                        error="OCI manifest found, but accept header does not support OCI manifests")
    if kind == "oci-index" and MediaType.OCI_INDEX not in accepted:
        return Decision("refuse", "OCI index not in Accept",
                        error="OCI index found, but accept header does not support OCI indexes")
    if kind == "schema2":
        if by_tag and b.converts_schema2 and MediaType.SCHEMA2 not in accepted:
            return Decision("convert", "schema2 fetched by tag by a client without schema2 in Accept")
        return Decision("serve", "stored bytes served as they are")
    if kind == "list" and by_tag and b.accept != "ignored" and MediaType.MANIFEST_LIST not in accepted:
        return Decision("child", "list fetched by tag by a client without the list type in Accept")
    return Decision("serve", "stored bytes served as they are")


def decide_child(b: Behaviour, child_kind: str, accepted: frozenset[str]) -> Decision:
    """What happens to the default-platform child chosen from a list."""
    if child_kind == "schema2" and MediaType.SCHEMA2 not in accepted:
        if b.list_schema2_child_refused:
            return Decision("refuse", "3.0 no longer converts", error="Schema 2 manifest not supported by client")
        if b.converts_schema2:
            return Decision("convert", "child is schema2 and schema2 is not in Accept")
    return Decision("serve", "child served as it is")


#: The rules as rows, for notebooks: (stored kind, fetched by, client accepts schema2?, accepts list?).
DECISION_TABLE = [
    ("schema2", "tag", False, False), ("schema2", "tag", True, False), ("schema2", "digest", False, False),
    ("list", "tag", False, False), ("list", "tag", True, False), ("list", "tag", True, True),
    ("list", "digest", False, False), ("schema1", "tag", False, False),
]
