"""In-memory storage: blobs by digest, and per repository its blob links,
manifests by digest, tags and upload sessions.

Modelled on distribution's storage layout: a blob is stored once but is only
visible in a repository that links it (pushed or mounted there); manifests
are kept by digest as the exact bytes received (schema1: the canonical
payload, plus the pushed signatures for the versions that keep them); tags
map a name to a manifest digest, separately from the manifests.

Handlers check everything first and write last, so a failed request never
leaves a half-written manifest or tag.

Left out: garbage collection, storage drivers, and the filesystem driver's
unsorted directory order (tags are listed in sorted order here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..digest import Digest, from_bytes

__all__ = ["Store", "Repository", "StoredManifest", "Upload"]


@dataclass
class StoredManifest:
    digest: Digest
    #: "schema1", "schema2", "list", "oci-manifest", "oci-index", or "untyped"/"untyped-list"
    #: (2.3-2.6: a schema2/list body stored but unreadable)
    #: (a schema2 body without mediaType that 2.3-2.6 stored but cannot read back).
    kind: str
    media_type: str
    raw: bytes                       # schema1: the canonical payload
    signatures: list = field(default_factory=list)  # schema1 signatures kept by <=2.4


@dataclass
class Upload:
    uuid: str
    repository: str
    data: bytearray = field(default_factory=bytearray)
    started: str = ""
    #: Where the next chunk goes: the end of ``data``, except in registries that seek
    #: to the offset a client's token names (2.0-2.3, ``upload_stale_offset="seek"``).
    position: int = 0


@dataclass
class Repository:
    name: str
    blobs: set[Digest] = field(default_factory=set)
    manifests: dict[Digest, StoredManifest] = field(default_factory=dict)
    tags: dict[str, Digest] = field(default_factory=dict)
    #: Whether a tag was ever written: the tags folder then exists, so the tag
    #: list answers (``"tags": null`` once all are gone) instead of NAME_UNKNOWN.
    had_tags: bool = False


class Store:
    """Everything a registry holds."""

    def __init__(self) -> None:
        self.blobs: dict[Digest, bytes] = {}
        self.repositories: dict[str, Repository] = {}
        self.uploads: dict[str, Upload] = {}
        #: Another algorithm's digest of a stored blob -> its sha256: distribution keeps
        #: sha256 as the canonical digest and links the pushed one to it (seen against 2.8.2).
        self.aliases: dict[str, Digest] = {}

    def repository(self, name: str) -> Repository:
        repo = self.repositories.get(name)
        if repo is None:
            repo = self.repositories[name] = Repository(name)
        return repo

    def existing(self, name: str) -> Repository | None:
        return self.repositories.get(name)

    # -- blobs
    def has_blob(self, name: str, digest: str) -> bool:
        repo = self.repositories.get(name)
        return repo is not None and digest in repo.blobs and self.canonical(digest) in self.blobs

    def canonical(self, digest: str) -> str:
        return self.aliases.get(digest, digest)

    def blob(self, name: str, digest: str) -> bytes | None:
        return self.blobs.get(self.canonical(digest)) if self.has_blob(name, digest) else None

    def put_blob(self, name: str, digest: Digest, data: bytes) -> Digest:
        """Store ``data`` (already checked against ``digest``); return its canonical sha256."""
        canonical = digest if digest.algorithm == "sha256" else from_bytes(data)
        self.blobs.setdefault(canonical, bytes(data))
        repo = self.repository(name)
        repo.blobs.add(canonical)
        if canonical != digest:
            self.aliases[digest] = canonical
            repo.blobs.add(digest)
        return canonical

    def link_blob(self, name: str, digest: Digest) -> None:
        self.repository(name).blobs.add(digest)

    # -- manifests and tags
    def manifest(self, name: str, digest: str) -> StoredManifest | None:
        repo = self.repositories.get(name)
        return repo.manifests.get(digest) if repo else None

    def tag(self, name: str, tag: str) -> Digest | None:
        repo = self.repositories.get(name)
        return repo.tags.get(tag) if repo else None

    def put_manifest(self, name: str, stored: StoredManifest, tag: str | None) -> None:
        repo = self.repository(name)
        previous = repo.manifests.get(stored.digest)
        if previous is not None and stored.signatures:
            known = {s.get("signature") for s in previous.signatures if isinstance(s, dict)}
            merged = previous.signatures + [s for s in stored.signatures
                                            if not isinstance(s, dict) or s.get("signature") not in known]
            stored.signatures = merged
        repo.manifests[stored.digest] = stored
        if tag is not None:
            repo.tags[tag] = stored.digest
            repo.had_tags = True

    def repository_names(self) -> list[str]:
        return sorted(n for n, r in self.repositories.items() if r.manifests or r.tags or r.blobs)
