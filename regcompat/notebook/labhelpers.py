"""Plumbing the lessons use, kept out of the notebooks so learners read the idea, not the code.

* :func:`upload_blob` - the two requests of a blob upload (lesson 01);
* :func:`jws_header` - the decoded protected header of a signed schema1 document (lesson 02);
* :class:`TamperingProxy` - a man in the middle that changes manifests or
  blobs, and optionally rewrites ``Docker-Content-Digest`` to match (lesson 01);
* :func:`registry_with_list` - a registry holding one image per platform and
  a manifest list of them (lessons 05 and 07);
* :func:`installed_tools`, :func:`curl_head`, :func:`skopeo_digest`,
  :func:`real_registry`, :func:`compare_with_real` - lesson 08's calls to
  ``curl``, ``skopeo`` and Debian's ``docker-registry`` (loopback only; every
  process started is stopped when its context ends).

Everything here uses only the public API of :mod:`regcompat`.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.manifest import Descriptor, Platform, manifestlist
from regcompat.mediatypes import MediaType

__all__ = ["upload_blob", "jws_header", "TamperingProxy", "registry_with_list", "PLATFORMS", "installed_tools", "curl_head",
           "skopeo_digest", "real_registry", "compare_with_real"]


def upload_blob(registry, data: bytes, announced: str) -> rc.Response:
    """POST an upload session, then PUT ``data`` to it as ``?digest=<announced>``; the PUT's response."""
    started = registry.handle(rc.Request("POST", "/v2/demo/app/blobs/uploads/"))
    location = urlsplit(started.headers["Location"])
    target = location.path + "?" + (location.query + "&" if location.query else "") + "digest=" + announced
    return registry.handle(rc.Request("PUT", target, [("Content-Type", "application/octet-stream")], data))


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jws_header(document: bytes, signature: int = 0) -> dict:
    """The protected header of one signature of a signed schema1 document, ``formatTail`` decoded to bytes."""
    header = json.loads(_b64url(json.loads(document)["signatures"][signature]["protected"]))
    return {**header, "formatTail": _b64url(header["formatTail"])}


class TamperingProxy:
    """Forwards requests to ``target`` and changes what comes back.

    ``what="manifest"`` adds one space after ``"schemaVersion":`` in every
    manifest body; ``what="blob"`` appends one byte to every blob body. With
    ``fix_header=True`` it also rewrites ``Docker-Content-Digest`` to the
    digest of the changed body, as a careful attacker would.
    """

    def __init__(self, target, what: str = "manifest", fix_header: bool = False):
        if what not in ("manifest", "blob"):
            raise ValueError("what must be 'manifest' or 'blob'")
        self.target, self.what, self.fix_header = target, what, fix_header

    def handle(self, request):
        response = self.target.handle(request)
        if request.method != "GET" or not response.ok or f"/{self.what}s/" not in request.path:
            return response
        if self.what == "manifest":
            body = response.body.replace(b'"schemaVersion":', b'"schemaVersion": ', 1)
        else:
            body = response.body + b"\0"
        headers = response.headers.with_header("Content-Length", str(len(body)))
        if self.fix_header:
            headers = headers.with_header("Docker-Content-Digest", rc.manifest_digest(body)
                                          if self.what == "manifest" else from_bytes(body))
        return rc.Response(response.status, headers, body)


PLATFORMS = [("amd64", "linux", None), ("arm64", "linux", "v8")]


def registry_with_list(version: str, platforms=PLATFORMS, tag: str = "latest", *, engine: str = "1.12",
                       seed: int = 5, registry=None):
    """A registry holding one image per platform (pushed by ``engine`` under a tag named after the
    architecture) and, under ``tag``, the manifest list of them: ``(registry, the_list)``."""
    registry = registry if registry is not None else rc.Registry(version)
    images = rc.testing.random_index(seed=seed, platforms=list(platforms)).images
    entries = []
    for image, (arch, os, variant) in zip(images, platforms):
        pushed = rc.Engine(engine, registry).push(image, f"demo/app:{arch}")
        entries.append(Descriptor(pushed.media_type, pushed.size, pushed.digest,
                                  platform=Platform(arch, os, variant=variant)))
    the_list = manifestlist.build(entries)
    put = registry.handle(rc.Request("PUT", f"/v2/demo/app/manifests/{tag}",
                                     [("Content-Type", MediaType.MANIFEST_LIST)], the_list.raw))
    if put.status != 201:
        raise RuntimeError(f"the list was refused: {put.status} {put.body[:200]!r}")
    return registry, the_list


def installed_tools() -> dict[str, str | None]:
    """Where ``curl``, ``skopeo`` and ``docker-registry`` are, or None for each one missing."""
    return {name: shutil.which(name) for name in ("curl", "skopeo", "docker-registry")}


def curl_head(url: str, accept_headers) -> list[str]:
    """The response headers (Date left out) of ``curl`` GETting ``url`` with one -H per Accept value."""
    cmd = [shutil.which("curl") or "curl", "-s", "-D", "-", "-o", "/dev/null", url]
    for value in accept_headers:
        cmd += ["-H", f"Accept: {value}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True).stdout
    return [line for line in out.splitlines() if line and not line.lower().startswith("date:")]


def skopeo_digest(document: bytes) -> str:
    """``skopeo manifest-digest`` of ``document`` (written to a temporary file)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.json"
        path.write_bytes(document)
        return subprocess.run([shutil.which("skopeo") or "skopeo", "manifest-digest", str(path)],
                              capture_output=True, text=True, timeout=60, check=True).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def real_registry():
    """Debian's ``docker-registry`` on a free loopback port with throw-away storage; yields its URL."""
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        config = Path(tmp) / "config.yml"
        config.write_text(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {Path(tmp) / 'storage'}\n"
                          f"http:\n  addr: 127.0.0.1:{port}\nlog:\n  level: error\n")
        proc = subprocess.Popen([shutil.which("docker-registry") or "docker-registry", "serve", str(config)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("docker-registry did not start")
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _story(target, image) -> list:
    """Push with 1.10, pull with 1.10 and 1.9 by tag and by digest: the manifest exchanges."""
    pushed = rc.Engine("1.10", target).push(image, "demo/app:latest")
    results = [pushed] + [rc.Engine(e, target).pull(ref) for e in ("1.10", "1.9")
                          for ref in ("demo/app:latest", "demo/app@" + pushed.digest)]
    return [x for r in results for x in r.exchanges if "/manifests/" in x.request.path]


def compare_with_real(real_url: str, model_url: str, image=None):
    """The same push and pulls against both URLs: a DataFrame of status, Content-Type and digest, side by side."""
    import pandas as pd
    image = image if image is not None else rc.sample_image()
    rows = []
    for real, mine in zip(_story(real_url, image), _story(model_url, image), strict=True):
        for field, get in (("status", lambda x: x.response.status),
                           ("Content-Type", lambda x: x.response.headers.get("Content-Type")),
                           ("Docker-Content-Digest", lambda x: x.response.headers.get("Docker-Content-Digest"))):
            rows.append({"request": f"{real.request.method} {real.request.path.rsplit('/', 1)[-1][:19]}",
                         "field": field, "real 2.8.2": get(real), "model 2.8": get(mine),
                         "same": get(real) == get(mine)})
    return pd.DataFrame(rows)
