"""Docker 1.6 and 1.7 pulls: signatures verified, the digest header checked.

GET with no Accept; the body must be a pretty-JWS whose signatures verify;
the ``Docker-Content-Digest`` header is checked against the payload digest.
1.6: ``unable to verify manifest digest: registry has "S", computed "C"``;
1.7: ``verifying remote digest: verification against digest "S" failed``; both
wrapped in ``error verifying manifest: ...`` (``M@v1.6.2:graph/manifest.go:21-60``,
``graph/pull.go:436-445``; ``M@v1.7.1:graph/manifest.go:21-160``,
``graph/pull.go:516-518``). A 404 is ``Image does not exist``, another error
``Server error: <code> trying to fetch for <name>:<ref>``
(``M@v1.7.1:registry/session_v2.go:100-106``). 1.7 prints ``Remote Digest:``
when the header differs from the local digest (``graph/pull.go:694-703``).

Left out: the trust-store check of the signing keys (``verifyTrustedKeys``:
only decides whether "has been verified" is logged), the v1 fallback after a
failed v2 pull (its final text is UNCONFIRMED), and ``validateManifest``.
"""

from __future__ import annotations

from ..digest import Digest, DigestError, from_bytes
from ..manifest import ManifestError, libtrust, schema1
from .wire import EngineFailure

__all__ = ["pull_v16"]


def pull_v16(s) -> Digest:
    response = s.get(s.tag_or_digest)
    if response.status != 200:
        if response.status == 404:
            raise EngineFailure("Image does not exist")
        raise EngineFailure(f"Server error: {response.status} trying to fetch for {s.name}:{s.tag_or_digest}")
    s.keep(response)
    remote = response.headers.get("Docker-Content-Digest") or ""
    v17 = s.p.pull_family == "v1.7"  # the family names the verification routine
    try:
        manifest = _unpack(response.body, v17)
        payload = manifest.canonical
        digest = _check_v16(s, payload, remote) if not v17 else _check_v17(s, payload, remote)
    except EngineFailure as err:
        raise EngineFailure(f"error verifying manifest: {err}") from None
    s.pulling()
    s.blobs(reversed(manifest.fs_layers))
    if v17 and remote and remote != digest:
        s.say(f"Remote Digest: {remote}")
    return digest


def _unpack(body: bytes, v17: bool) -> schema1.Schema1Manifest:
    """ParsePrettySignature then Verify; the manifest fields are read from the payload."""
    prefix = "error unpacking manifest: " if v17 else ""
    try:
        payload, _ = libtrust.parse_pretty(body)
    except ManifestError as err:
        raise EngineFailure(f"{prefix}error parsing payload: {err}") from None
    try:
        libtrust.verify(body)
    except ManifestError as err:
        raise EngineFailure(f"{prefix}error verifying payload: {err}") from None
    try:
        return schema1.parse(payload, require_signature=False)  # the payload: canonical = payload
    except ManifestError as err:
        raise EngineFailure(f"error unmarshalling manifest: {err}") from None


def _check_v16(s, payload: bytes, remote: str) -> Digest:
    computed = from_bytes(payload)
    if not remote:
        return computed
    try:
        registry_digest = Digest(remote)
    except DigestError as err:
        raise EngineFailure(f"invalid manifest digest from registry: {err}") from None
    if registry_digest != computed:
        raise EngineFailure(f'unable to verify manifest digest: registry has "{registry_digest}", '
                            f'computed "{computed}"')
    if s.digest and s.digest != registry_digest:
        raise EngineFailure(f'mismatching image manifest digest: got "{registry_digest}", expected "{s.digest}"')
    return registry_digest


def _check_v17(s, payload: bytes, remote: str) -> Digest:
    if s.digest:
        if from_bytes(payload, s.digest.algorithm) != s.digest:
            raise EngineFailure(f'verifying local digest: verification against digest "{s.digest}" failed')
        local = s.digest
    else:
        local = from_bytes(payload)
    if remote:
        try:
            ok = from_bytes(payload, Digest(remote).algorithm) == remote
        except DigestError as err:
            raise EngineFailure(f"verifying remote digest: {err}") from None
        if not ok:
            raise EngineFailure(f'verifying remote digest: verification against digest "{remote}" failed')
    return local
