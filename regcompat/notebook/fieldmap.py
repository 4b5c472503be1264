"""Which field of a schema2 manifest became which field of the schema1 manifest an old client got.

The registry's conversion (distribution ``manifest/schema1/config_builder.go``,
modelled in :mod:`regcompat.manifest.convert`) rewrites the document
field by field. :func:`field_map` reads the two documents as they were sent
(and the image config, when given) and lines the fields up:

* ``schemaVersion`` 2 → 1, and ``mediaType`` dropped (schema1 carries its type
  in ``Content-Type`` only);
* ``name`` and ``tag`` added, from the request: the converted document, so its
  digest C, depends on the repository and the tag;
* the config, referenced by digest in schema2, copied inline into
  ``history[0].v1Compatibility`` (with ``id`` and ``parent`` added), and its
  ``architecture`` lifted to the top level;
* ``layers`` → ``fsLayers`` in reverse order (schema1 lists the top layer
  first), plus one empty-tar ``fsLayers`` entry per history step without a
  layer (``throwaway``);
* the config's history steps → ``history[…].v1Compatibility``, one per
  ``fsLayers`` entry;
* ``signatures`` added: a JWS whose protected header names
  ``formatLength``/``formatTail``; it is outside the digest.

Pure Python: the result is a list of :class:`FieldLink` rows that the digest
inspector renders. Left out: manifest lists and OCI documents (never converted).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

__all__ = ["FieldLink", "field_map"]


@dataclass(frozen=True)
class FieldLink:
    """One row of the map: a field of the stored document, the field it became, what happened."""

    stored: str     # "" when the field was added by the conversion
    served: str     # "" when the field was dropped
    change: str     # "kept", "changed", "moved", "added", "dropped"
    note: str = ""


def _short(digest: str) -> str:
    algorithm, _, hexa = digest.partition(":")
    return f"{algorithm}:{hexa[:12]}\u2026" if hexa else digest


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def field_map(stored: bytes, served: bytes, config: bytes | None = None) -> list[FieldLink]:
    """The map from a stored schema2 document to the schema1 document served for it.

    Returns one ``kept`` row when the two documents are the same bytes, and
    raises ValueError when ``stored`` is not schema2 or ``served`` not schema1.
    """
    if stored == served:
        return [FieldLink("the whole document", "the whole document", "kept", "served as stored: same bytes, same digest")]
    s2, s1 = json.loads(stored), json.loads(served)
    if s2.get("schemaVersion") != 2 or "layers" not in s2:
        raise ValueError("the stored document is not a schema2 image manifest")
    if s1.get("schemaVersion") != 1 or "fsLayers" not in s1:
        raise ValueError("the served document is not a schema1 manifest")
    links = [FieldLink(f"schemaVersion: 2, mediaType: {s2.get('mediaType', '(none)')}", "schemaVersion: 1", "changed",
                       "schema1 has no mediaType field: its type travels in Content-Type only"),
             FieldLink("", f"name: {s1.get('name')!r}, tag: {s1.get('tag')!r}", "added",
                       "taken from the request: the same image under another name or tag converts to another C")]
    history = [json.loads(h["v1Compatibility"]) for h in s1.get("history", [])]
    cfg = s2.get("config", {})
    top = history[0] if history else {}
    if config is not None:
        cfg_doc = json.loads(config)
        kept = [k for k in cfg_doc if k in top]
        dropped = [k for k in cfg_doc if k not in top]
        added = [k for k in top if k not in cfg_doc]
        detail = (f"copied inline: {', '.join(kept)}" + (f"; dropped: {', '.join(dropped)}" if dropped else "")
                  + (f"; added: {', '.join(added)}" if added else ""))
    else:
        detail = "the config's fields, copied inline, with id and parent added"
    links.append(FieldLink(f"config \u2192 {_short(cfg.get('digest', ''))} ({cfg.get('size', '?')} bytes, a blob)",
                           "history[0].v1Compatibility", "moved", detail))
    if "architecture" in s1:
        links.append(FieldLink("config: architecture", f"architecture: {s1['architecture']!r}", "moved",
                               "lifted from the config to the top level"))
    fs = [f["blobSum"] for f in s1["fsLayers"]]
    used = set()
    for i, layer in enumerate(s2["layers"]):
        digest = layer.get("digest", "")
        j = next((k for k in range(len(fs) - 1, -1, -1) if fs[k] == digest and k not in used), None)
        if j is None:
            links.append(FieldLink(f"layers[{i}] {_short(digest)}", "", "dropped", "not in fsLayers"))
            continue
        used.add(j)
        links.append(FieldLink(f"layers[{i}] {_short(digest)}", f"fsLayers[{j}]", "moved",
                               "the same blob; schema1 lists layers top first, so the order is reversed"))
    for j, digest in enumerate(fs):
        if j not in used:
            links.append(FieldLink("", f"fsLayers[{j}] {_short(digest)}", "added",
                                   "the empty tar, for a history step that made no layer (throwaway)"))
    if len(history) > 1:
        links.append(FieldLink("config: history (the build steps)", f"history[1\u2026{len(history) - 1}].v1Compatibility",
                               "moved", "one entry per fsLayers entry: id, parent, created, container_config"))
    signatures = s1.get("signatures") or []
    if signatures:
        try:
            protected = json.loads(_b64(signatures[0]["protected"]))
            tail = _b64(protected["formatTail"])
            header = f"formatLength {protected['formatLength']}, formatTail {tail!r}"
        except (KeyError, ValueError):
            header = "a JWS"
        links.append(FieldLink("", "signatures: header (jwk), protected, signature", "added",
                               f"the registry's signature; protected names {header}; outside the digest"))
    return links
