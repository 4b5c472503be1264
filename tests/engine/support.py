"""Shared helpers for the engine tests: images, lists, raw requests and exchange filters."""

from __future__ import annotations

from regcompat.digest import from_bytes
from regcompat.engine import Engine
from regcompat.engine.publish import publish_index
from regcompat.engine.wire import Session
from regcompat.image import Image, build_config, layer_blob, sample_image
from regcompat.mediatypes import MediaType
from regcompat.messages import Request, Response
from regcompat.testing import random_index

NAME = "demo/app"
V2, LIST, S1, OCI = MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED, MediaType.OCI_MANIFEST
ACCEPT_110 = [str(t) for t in (MediaType.SCHEMA1_SIGNED, MediaType.JSON, MediaType.SCHEMA2, MediaType.MANIFEST_LIST)]


def converted_digest(image: Image, tag: str = "latest", name: str = NAME):
    """C: the digest of the schema1 payload a registry 2.3 (or Docker 1.10's fallback) builds."""
    return from_bytes(image.schema1_payload(name, tag))


def manifest_calls(result, method: str | None = None):
    """The exchanges of a push/pull that touch /manifests/, optionally of one method."""
    return [ex for ex in result.exchanges if "/manifests/" in ex.request.target
            and (method is None or ex.request.method == method)]


def header(exchange, name: str):
    return exchange.response.headers.get(name)


def push(version: str, registry, image=None, ref: str = f"{NAME}:latest"):
    return Engine(version, registry).push(image or sample_image(), ref)


def pull(version: str, registry, ref: str = f"{NAME}:latest"):
    return Engine(version, registry).pull(ref)


def publish_list(registry, platforms=(("amd64", "linux", None), ("arm64", "linux", "v8")), tag="latest"):
    images, index = random_index(seed=3, platforms=list(platforms))
    result = publish_index(Session(registry), images, index, NAME, tag)
    assert result.ok, result.error
    return images, index, result


def raw(registry, method: str, target: str, headers=(), body: bytes = b"") -> Response:
    """A request as curl would send it (no engine involved)."""
    return registry.handle(Request(method, target, [("Host", "localhost:5000"), *headers], body))


def empty_history_image() -> Image:
    """An image whose config has an empty ``history`` (conversion must fail, case 22)."""
    blob, diff_id = layer_blob({"a.txt": b"a\n"})
    config = build_config(architecture="amd64", os="linux", diff_ids=[diff_id], history=[])
    return Image(config, (blob,), label="empty-history")


class Tamper:
    """A transport that changes the case of one value in every manifest body a GET returns.

    The change keeps the JSON valid and the length the same, so only a digest check can notice.
    """

    def __init__(self, registry):
        self.registry = registry

    def handle(self, request: Request) -> Response:
        response = self.registry.handle(request)
        if request.method == "GET" and "/manifests/" in request.target and response.ok and response.body:
            body = response.body
            body = (body.replace(b'"amd64"', b'"AMD64"', 1) if b'"amd64"' in body
                    else body.replace(b'"application/', b'"Application/', 1))
            assert body != response.body
            return Response(response.status, response.headers, body)
        return response
