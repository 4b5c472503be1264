"""Send the same requests to a real registry and to regcompat, and compare the answers.

Compared on every exchange: status, ``Content-Type``, ``Docker-Content-Digest``,
``ETag``, ``Range``, ``Allow``, ``X-Content-Type-Options``, API version header,
whether ``Docker-Upload-Uuid`` is present, the ``Location`` path (upload
locations only up to ``/blobs/uploads/``: their ids are server-specific), and
the body: byte for byte, with three exceptions that real software forces:

* a schema1 document the registry signed itself (a conversion): its key and
  clock are the real registry's own, so the canonical payloads must be
  byte-identical and both signatures must verify;
* a tag list: the filesystem driver lists tags in directory order, so the
  tags are compared as sets (the repository name exactly);
* HEAD: both bodies empty, ``Content-Length`` equal;
* a ``multipart/byteranges`` answer: Go's boundary is random, so each side's
  boundary is read from its ``Content-Type`` and the bodies compared modulo it.

Each side follows its own upload ``Location``; the requests are otherwise
identical (each server gets its own ``Host``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from regcompat.engine.http import HTTPTransport
from regcompat.manifest import libtrust, manifest_digest, schema1
from regcompat.messages import Request, Response

__all__ = ["SIGNED_SCHEMA1", "Mismatch", "Pair", "compare", "target_of", "with_digest"]

SIGNED_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"
HEADERS = ("Content-Type", "Docker-Content-Digest", "Etag", "Range", "Allow",
           "X-Content-Type-Options", "Docker-Distribution-Api-Version")


class Mismatch(AssertionError):
    pass


def _location_key(value: str | None) -> str | None:
    if value is None:
        return None
    path = urlsplit(value).path
    if "/blobs/uploads/" in path:
        return path[: path.index("/blobs/uploads/") + len("/blobs/uploads/")]
    return path


def compare(request: Request, real: Response, ours: Response, pushed: set[bytes] = frozenset()) -> list[str]:
    """Every difference between the two answers to ``request`` (empty = equivalent)."""
    diffs: list[str] = []
    real, ours = _same_boundary(real, ours)
    if real.status != ours.status:
        diffs.append(f"status: real {real.status}, regcompat {ours.status}")
    for name in HEADERS:
        if real.headers.get(name) != ours.headers.get(name):
            diffs.append(f"{name}: real {real.headers.get(name)!r}, regcompat {ours.headers.get(name)!r}")
    if ("Docker-Upload-Uuid" in real.headers) != ("Docker-Upload-Uuid" in ours.headers):
        diffs.append("Docker-Upload-Uuid present on one side only")
    if _location_key(real.headers.get("Location")) != _location_key(ours.headers.get("Location")):
        diffs.append(f"Location: real {real.headers.get('Location')!r}, regcompat {ours.headers.get('Location')!r}")
    diffs.extend(_compare_body(request, real, ours, pushed))
    return diffs


_MULTIPART = "multipart/byteranges; boundary="


def _same_boundary(real: Response, ours: Response) -> tuple[Response, Response]:
    """``real`` with its multipart boundary replaced by ours, when both answers are multipart."""
    real_type, ours_type = real.headers.get("Content-Type") or "", ours.headers.get("Content-Type") or ""
    if not (real_type.startswith(_MULTIPART) and ours_type.startswith(_MULTIPART)):
        return real, ours
    theirs, mine = real_type[len(_MULTIPART):], ours_type[len(_MULTIPART):]
    headers = [(k, v.replace(theirs, mine) if k.lower() == "content-type" else v) for k, v in real.headers]
    return Response(real.status, headers, real.body.replace(theirs.encode(), mine.encode())), ours


def _compare_body(request: Request, real: Response, ours: Response, pushed) -> list[str]:
    if request.method == "HEAD":
        problems = [] if real.body == ours.body == b"" else ["HEAD answered with a body"]
        if real.headers.get("Content-Length") != ours.headers.get("Content-Length"):
            problems.append(f"HEAD Content-Length: real {real.headers.get('Content-Length')}, "
                            f"regcompat {ours.headers.get('Content-Length')}")
        return problems
    if real.body == ours.body:
        return []
    path = urlsplit(request.target).path
    if real.status == ours.status == 200 and path.endswith("/tags/list"):
        a, b = json.loads(real.body), json.loads(ours.body)
        if a["name"] == b["name"] and (a["tags"] is None) == (b["tags"] is None) \
                and sorted(a["tags"] or []) == sorted(b["tags"] or []):
            return []
    if (real.status == ours.status == 200 and real.headers.get("Content-Type") == SIGNED_SCHEMA1
            and real.body not in pushed):
        try:
            same = schema1.parse(real.body).canonical == schema1.parse(ours.body).canonical
            libtrust.verify(real.body)
            libtrust.verify(ours.body)
        except ValueError as exc:  # ManifestError: a parse or signature failure is a difference
            return [f"signed schema1 body: {exc}"]
        return [] if same else ["converted schema1: canonical payloads differ"]
    return [f"body: real {real.body[:300]!r}, regcompat {ours.body[:300]!r}"]


@dataclass
class Exchange2:
    request: Request
    real: Response
    ours: Response


@dataclass
class Pair:
    """A real registry and regcompat, driven in lockstep; ``check()`` reports differences."""

    real_url: str
    ours_url: str
    log: list[Exchange2] = field(default_factory=list)
    pushed: set[bytes] = field(default_factory=set)
    mismatches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.real = HTTPTransport(self.real_url)
        self.ours = HTTPTransport(self.ours_url)

    def close(self) -> None:
        self.real.close()
        self.ours.close()

    def send(self, method: str, target: str, headers=(), body: bytes = b"", *,
             targets: tuple[str, str] | None = None, step: str = "") -> tuple[Response, Response]:
        """One request to each side (``targets`` when the sides need their own)."""
        real_target, ours_target = targets or (target, target)
        if method == "PUT" and "/manifests/" in target:
            self.pushed.add(bytes(body))
        real = self.real.handle(Request(method, real_target, list(headers), body))
        ours = self.ours.handle(Request(method, ours_target, list(headers), body))
        request = Request(method, target, list(headers), body)
        self.log.append(Exchange2(request, real, ours))
        diffs = compare(request, real, ours, self.pushed)
        if diffs:
            self.mismatches.append(f"{step or ''} {method} {target}:\n  " + "\n  ".join(diffs))
        return real, ours

    def check(self) -> None:
        """Raise one :class:`Mismatch` listing every difference seen so far."""
        if self.mismatches:
            found, self.mismatches = self.mismatches, []
            raise Mismatch(f"{len(found)} of {len(self.log)} exchanges differ:\n" + "\n".join(found))

    def start_upload(self, name: str, step: str = "") -> tuple[str, str]:
        real, ours = self.send("POST", f"/v2/{name}/blobs/uploads/", step=step or "start upload")
        return target_of(real.headers["Location"]), target_of(ours.headers["Location"])

    def upload(self, name: str, data: bytes, digest: str, *, chunks: int = 0, step: str = "") -> None:
        """POST then (``chunks`` PATCHes then) PUT ?digest=, each side at its own Location."""
        locations = self.start_upload(name, step)
        if chunks:
            size = max(1, -(-len(data) // chunks))
            for start in range(0, len(data), size):
                part = data[start:start + size]
                headers = [("Content-Type", "application/octet-stream"),
                           ("Content-Range", f"{start}-{start + len(part) - 1}")]
                real, ours = self.send("PATCH", locations[0], headers, part,
                                       targets=locations, step=step or "patch")
                locations = (target_of(real.headers["Location"]), target_of(ours.headers["Location"]))
            body = b""
        else:
            body = data
        targets = tuple(with_digest(loc, digest) for loc in locations)
        self.send("PUT", targets[0], [("Content-Type", "application/octet-stream")], body,
                  targets=targets, step=step or "put upload")


def target_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def with_digest(target: str, digest: str) -> str:
    return target + ("&" if "?" in target else "?") + f"digest={digest}"


def digest_of(body: bytes) -> str:
    return str(manifest_digest(body))
