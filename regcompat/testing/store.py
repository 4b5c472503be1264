"""Invariants of a registry's storage, checked after any sequence of requests.

:func:`validate_store` reads ``registry.store`` (blobs by digest; per
repository: linked blobs, manifests by digest with their stored bytes, tags)
and checks what content-addressable storage promises:

  * every blob's bytes hash to its digest, and every linked blob exists;
  * every stored manifest's bytes hash to its key (schema1: the canonical
    payload is what is stored and hashed) and parse as their kind;
  * every tag points at a manifest stored in the same repository;
  * every reference exists in the repository: config and layers of image
    manifests (foreign layers with ``urls`` excepted), children of lists and
    indexes (a blob of the repository will do where the version's manifest
    store reads blob links: ``blob_links_as_manifests``), ``fsLayers`` of
    schema1; stored schema1 signatures verify.

It returns ``[]`` when all hold and raises :class:`StoreInvariantError` listing
every violation otherwise.
"""

from __future__ import annotations

from regcompat.digest import from_bytes
from regcompat.manifest import ManifestError, libtrust, manifestlist, oci, schema1, schema2

__all__ = ["validate_store", "StoreInvariantError"]


class StoreInvariantError(AssertionError):
    """The store broke an invariant; ``.problems`` lists every violation."""

    def __init__(self, problems: list[str]):
        super().__init__("store invariants violated:\n  " + "\n  ".join(problems))
        self.problems = problems


_PARSERS = {
    "schema1": lambda raw: schema1.parse(raw, require_signature=False),
    "schema2": schema2.parse,
    "untyped": schema2.parse,
    "untyped-list": manifestlist.parse,
    "list": manifestlist.parse,
    "oci-manifest": oci.parse_manifest,
    "oci-index": oci.parse_index,
}


def _check_manifest(repo, digest, stored, problems: list[str], blob_children: bool = False) -> None:
    where = f"{repo.name}@{digest}"
    if from_bytes(stored.raw) != digest or stored.digest != digest:
        problems.append(f"manifest {where}: stored bytes hash to {from_bytes(stored.raw)}")
    parser = _PARSERS.get(stored.kind)
    if parser is None:
        problems.append(f"manifest {where}: unknown kind {stored.kind!r}")
        return
    try:
        manifest = parser(stored.raw)
    except ManifestError as err:
        problems.append(f"manifest {where}: does not parse as {stored.kind}: {err}")
        return
    if hasattr(manifest, "manifests"):  # a list or an index (2.3-2.6 may store one untyped)
        for child in manifest.references():
            if child.digest not in repo.manifests and not (blob_children and child.digest in repo.blobs):
                problems.append(f"manifest {where}: child manifest {child.digest} not stored")
        return
    for ref in manifest.references():
        if ref.urls:
            continue
        if ref.digest not in repo.blobs:
            problems.append(f"manifest {where}: referenced blob {ref.digest} not linked")
    if stored.kind == "schema1" and getattr(stored, "signatures", None):
        try:
            libtrust.verify(libtrust.pretty_signature(stored.raw, stored.signatures))
        except ManifestError as err:
            problems.append(f"manifest {where}: stored signatures do not verify: {err}")


def validate_store(registry) -> list[str]:
    """Check every storage invariant of ``registry.store``; raise StoreInvariantError if any fails."""
    store = registry.store
    blob_children = bool(getattr(getattr(registry, "behaviour", None), "blob_links_as_manifests", False))
    problems: list[str] = []
    for digest, data in store.blobs.items():
        if from_bytes(bytes(data), digest.partition(":")[0]) != digest:
            problems.append(f"blob {digest}: bytes hash to {from_bytes(bytes(data))}")
    for name, repo in sorted(store.repositories.items()):
        for digest in sorted(repo.blobs):
            canonical = getattr(store, "aliases", {}).get(digest, digest)
            if canonical not in store.blobs:
                problems.append(f"repository {name}: linked blob {digest} missing from the blob store")
            elif canonical != digest and from_bytes(bytes(store.blobs[canonical]), digest.partition(":")[0]) != digest:
                problems.append(f"repository {name}: link {digest} names a blob with other bytes")
        for digest, stored in sorted(repo.manifests.items()):
            _check_manifest(repo, digest, stored, problems, blob_children)
        for tag, digest in sorted(repo.tags.items()):
            if digest not in repo.manifests:
                problems.append(f"tag {name}:{tag} points at {digest}, which is not stored")
    if problems:
        raise StoreInvariantError(problems)
    return problems
