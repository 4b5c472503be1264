"""Property tests: whatever arrives, the registry answers with a response (never
a Python exception) and its store keeps every invariant."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regcompat as rc
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
    assert response.headers.get("Docker-Distribution-Api-Version") == "registry/2.0"
    if method == "HEAD":
        assert response.body == b""
    validate_store(reg)
