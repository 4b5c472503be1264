"""Small request helpers for registry tests: raw HTTP values, no engine."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import regcompat as rc
from regcompat.digest import from_bytes

HOST = [("Host", "localhost:5000")]
DOCKER_110_ACCEPT = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
]


def push_blob(reg, name: str, data: bytes) -> rc.Response:
    start = reg.handle(rc.Request("POST", f"/v2/{name}/blobs/uploads/", headers=HOST))
    location = urlsplit(start.headers["Location"])
    target = f"{location.path}?{location.query}&digest={from_bytes(data)}"
    return reg.handle(rc.Request("PUT", target, headers=HOST, body=data))


def push_image(reg, name: str, image) -> None:
    for blob in image.blobs():
        assert push_blob(reg, name, blob.data).status == 201


def put_manifest(reg, name: str, reference: str, body: bytes, content_type: str | None) -> rc.Response:
    headers = list(HOST) + ([("Content-Type", content_type)] if content_type else [])
    return reg.handle(rc.Request("PUT", f"/v2/{name}/manifests/{reference}", headers=headers, body=body))


def get(reg, path: str, accept: list[str] = (), method: str = "GET", **extra) -> rc.Response:
    headers = list(HOST) + [("Accept", a) for a in accept] + list(extra.items())
    return reg.handle(rc.Request(method, path, headers=headers))


def errors_of(response: rc.Response) -> list[dict]:
    return json.loads(response.body)["errors"]


def snapshot(reg) -> dict:
    """Everything stored, to check that a failed request changed nothing."""
    store = reg.store
    return {
        "blobs": dict(store.blobs),
        "repos": {n: (sorted(r.blobs), {d: m.raw for d, m in r.manifests.items()}, dict(r.tags))
                  for n, r in store.repositories.items()},
    }
