"""Property tests: whatever arrives, the registry answers with a response (never
a Python exception) and its store keeps every invariant."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regcompat as rc
from regcompat.errors import ErrorCode
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType
from regcompat.registry.behaviour import REGISTRY_VERSIONS
from regcompat.testing import validate_store

from .helpers import push_image, put_manifest

_IMAGE = sample_image()
_MANIFEST = _IMAGE.schema2()

segments = st.sampled_from(["v2", "demo", "app", "manifests", "blobs", "uploads", "tags", "list", "_catalog",
                            "latest", "..", ".", "", "A", "sha256:" + "a" * 64, _MANIFEST.digest,
                            _IMAGE.layers[0].digest, "sha256:abc", "md5:" + "0" * 32, "%2F", "x" * 300])
paths = st.lists(segments, min_size=1, max_size=7).map(lambda parts: "/" + "/".join(parts))
queries = st.sampled_from(["", "?digest=" + _IMAGE.layers[0].digest, "?n=1", "?n=-3&last=a", "?_state=%%%",
                           "?mount=" + _IMAGE.layers[0].digest + "&from=demo/app", "?digest=sha256:zz"])
methods = st.sampled_from(["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "BREW"])
content_types = st.sampled_from([None, "", MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED,
                                 MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, "application/json", "bad type",
                                 "text/plain; charset=\"", MediaType.SCHEMA2 + "; x=y"])
bodies = st.one_of(st.binary(max_size=200), st.just(_MANIFEST.raw), st.just(b"{}"), st.just(b"[]"),
                   st.just(_MANIFEST.raw[:-1]), st.just(b'{"schemaVersion": 1, "signatures": []}'),
                   st.just(b'{"schemaVersion": 2, "mediaType": 7}'))


def _loaded(version: str) -> rc.Registry:
    reg = rc.Registry(version, delete_enabled=True)
    push_image(reg, "demo/app", _IMAGE)
    if reg.behaviour.put_parser.startswith("content-type"):
        put_manifest(reg, "demo/app", "latest", _MANIFEST.raw, MediaType.SCHEMA2)
    return reg


@settings(max_examples=int(__import__("os").environ.get("REGCOMPAT_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from(REGISTRY_VERSIONS), method=methods, path=paths, query=queries,
       content_type=content_types, body=bodies,
       accept=st.lists(st.sampled_from([MediaType.SCHEMA2, MediaType.MANIFEST_LIST, "*/*", "a,b;q=0", ""]),
                       max_size=3))
def test_any_request_gets_a_response_and_keeps_the_store_sound(version, method, path, query, content_type,
                                                               body, accept):
    reg = _loaded(version)
    headers = [("Host", "localhost:5000")] + [("Accept", a) for a in accept]
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    response = reg.handle(rc.Request(method, path + query, headers=headers, body=body))
    assert 200 <= response.status < 600
    if path != "/" or response.status == 404:  # "/" is answered before the registry's handlers (2.2+)
        assert response.headers.get("Docker-Distribution-Api-Version") == "registry/2.0"
    if method == "HEAD":
        assert response.body == b""
    validate_store(reg)


class RawJSONText(str):
    """A JSON fragment written into the document as is (deep nesting, huge numbers)."""


#: A version of every recorded release line (2.4.0 differs from 2.4.1).
LINES = ("2.0.1", "2.1.1", "2.2.1", "2.3.0", "2.3.1", "2.4.0", "2.4.1", "2.5.2", "2.6.2", "2.7.1", "2.8.2",
         "3.0.0")
_DOC = json.loads(_MANIFEST.raw)
_odd_values = st.one_of(
    st.integers(min_value=-(1 << 70), max_value=1 << 70), st.just(RawJSONText("9" * 5000)), st.text(max_size=8),
    st.none(), st.booleans(), st.builds(list), st.builds(dict),
    st.integers(min_value=1, max_value=12_000).map(lambda depth: RawJSONText("[" * depth + "]" * depth)),
    st.sampled_from(["sha256:xyz", "sha256:" + "A" * 64, "md5:abc", "", _IMAGE.layers[0].digest,
                     _IMAGE.config_blob.digest, "http://example.com/x", MediaType.DOCKER_FOREIGN_LAYER]))
_keys = st.sampled_from(["schemaVersion", "mediaType", "config", "layers", "manifests", "digest", "size", "urls",
                         "signatures", "name", "tag", "fsLayers", "history", "x"])


def _dump(value: object) -> str:
    if isinstance(value, RawJSONText):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + _dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    return json.dumps(value)


@st.composite
def mutated_manifests(draw) -> bytes:
    """The sample schema2 manifest with a few fields (top level, config or a layer) replaced."""
    doc = json.loads(json.dumps(_DOC))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        target = draw(st.sampled_from(["top", "config", "layer"]))
        node = doc if target == "top" else doc.get("config") if target == "config" else doc.get("layers")
        node = node[0] if isinstance(node, list) and node else node
        if not isinstance(node, dict):
            continue
        node[draw(_keys)] = draw(_odd_values)
    return _dump(doc).encode()


@settings(max_examples=int(__import__("os").environ.get("REGCOMPAT_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(version=st.sampled_from(LINES), body=mutated_manifests(), by_digest=st.booleans(),
       content_type=st.sampled_from([MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.OCI_MANIFEST, None]),
       accept=st.lists(st.sampled_from([MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.OCI_MANIFEST]),
                       max_size=2))
def test_odd_manifests_get_a_registry_answer(version, body, by_digest, content_type, accept):
    """Deep nesting, huge integers, odd digests, URLs and types in a pushed manifest:
    every line answers with a response whose errors are wire codes, never a traceback."""
    reg = _loaded(version)
    reference = rc.manifest_digest(body) if by_digest and body.lstrip().startswith(b"{") else "odd"
    headers = [("Content-Type", content_type)] if content_type else []
    answers = [reg.handle(rc.Request("PUT", f"/v2/demo/app/manifests/{reference}", headers=headers, body=body))]
    for ref in ("odd", rc.manifest_digest(body)):
        answers.append(reg.handle(rc.Request("GET", f"/v2/demo/app/manifests/{ref}",
                                             headers=[("Accept", a) for a in accept])))
    for answer in answers:
        assert 200 <= answer.status < 600
        if answer.status >= 400:
            codes = [e["code"] for e in json.loads(answer.body)["errors"]]
            assert codes and all(code in ErrorCode.__members__ for code in codes)
    validate_store(reg)
