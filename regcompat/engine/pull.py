"""``docker pull``, written once for every engine profile.

The profile's ``pull_family`` picks the verification rules:

* ``v1.6`` / ``v1.7`` - signatures verified and the digest header checked
  against the payload (legacy.py).
* ``v1.9`` - GET with no Accept; the body is decoded as schema1 with no
  signature needed; by digest the payload (or raw body, if unsigned) must hash
  to it (``image verification failed for digest <d>``), then ``schemaVersion``
  must be 1 (``unsupported schema version 2 for tag "<ref>"``)
  (``M@v1.9.1:graph/pull_v2.go:240-264,443-486``).
* ``v1.10`` (1.10, 1.12, 17.06, 20.10, 27, 28) - one Accept header per known type; the
  body is parsed by the response's Content-Type (unknown -> schema1); schema1
  checked on its payload (``image verification failed``), schema2/lists on the
  raw bytes (``manifest verification failed``); a list picks the first
  linux/amd64 entry and fetches it by digest (``M@v1.10.0:distribution/pull_v2.go``).
  20.10+ resolve a tag with HEAD first; 27 refuses schema1 unless enabled, 28 always.

Schema2/OCI pulls recompute each layer's diff_id (sha256 of the uncompressed
tar) and compare the list with the config's ``rootfs.diff_ids``: ``layers from
manifest don't match image configuration`` (``M@v1.10.0:distribution/pull_v2.go:470-481``);
a layer that does not decompress fails ``failed to register layer: <err>``
(``M@v1.10.0:distribution/xfer/download.go:312``; the Go gzip error text is
not reproduced, Python's is shown: UNCONFIRMED wording).

20.10+ keep the manifests they fetch in containerd's content store while an
image uses them, and read them from there (``M@v20.10.24:distribution/
manifest.go:99-215``): a real 20.10 pulling a digest it had just pulled by tag
sent no manifest request, unless containerd had already collected the
manifest after ``docker rmi``. The model's daemon starts every pull empty, so
it always fetches.

Printed: ``<tag or digest>: Pulling from <name>`` (20.10+: the whole reference
instead of the digest), ``Digest: <d>``, ``Status:
Downloaded newer image for <ref>`` (the Status line assumes an empty local
store). Left out: per-layer progress lines, the local image store ("Image is
up to date"), v1 endpoint fallback (its final text is UNCONFIRMED).
"""

from __future__ import annotations

import gzip
import json
import zlib

from ..digest import Digest, DigestError, from_bytes
from ..errors import ErrorCode
from ..mediatypes import MediaType
from ..manifest import ManifestError, manifestlist, oci, schema1, schema2
from ..manifest.convert import select_platform
from .legacy import pull_v16
from .profiles import EngineProfile
from .results import PullResult
from .wire import EngineFailure, Session, download_blob, first_error_text, translatable

__all__ = ["pull"]

_SCHEMA1 = lambda raw: schema1.parse(raw, require_signature=True)  # noqa: E731
_TABLE = {MediaType.SCHEMA1_SIGNED: _SCHEMA1, MediaType.JSON: _SCHEMA1, "": _SCHEMA1,
          MediaType.SCHEMA2: schema2.parse, MediaType.MANIFEST_LIST: manifestlist.parse}
_OCI = {MediaType.OCI_MANIFEST: oci.parse_manifest, MediaType.OCI_INDEX: oci.parse_index}


class _Pull:
    """State of one pull: the reference, the session, the result being filled."""

    def __init__(self, p: EngineProfile, session: Session, name: str, tag: str | None,
                 digest: Digest | None, repo: str):
        self.p, self.session, self.name, self.digest = p, session, name, digest
        self.tag_or_digest = digest or tag or "latest"
        self.repo = repo
        self.display = f"{repo}@{digest}" if digest else f"{repo}:{self.tag_or_digest}"
        self.result = PullResult(ok=False, digest=None, media_type=None, exchanges=session.exchanges)

    def say(self, line: str) -> None:
        self.result.output.append(line)

    def get(self, reference: str, method: str = "GET"):
        headers = [("Accept", t) for t in self.p.accept]
        return self.session.send(method, f"/v2/{self.name}/manifests/{reference}", headers)

    def keep(self, response) -> None:
        self.result.media_type = response.headers.get("Content-Type")
        self.result.manifest_bytes = response.body

    def pulling(self) -> None:
        label = self.display if (self.digest and self.p.digest_label == "reference") else self.tag_or_digest
        self.say(f"{label}: Pulling from {self.name}")

    def blobs(self, digests) -> None:
        for d in dict.fromkeys(str(x) for x in digests):
            download_blob(self.session, self.name, d)


def pull(p: EngineProfile, session: Session, name: str, tag: str | None, digest: Digest | None,
         repo: str) -> PullResult:
    """Pull ``name`` by ``digest`` (if given) or ``tag``; ``repo`` is the repository as the CLI names it."""
    state = _Pull(p, session, name, tag, digest, repo)
    try:
        session.ping()
        printed = _FAMILIES[p.pull_family](state)
        state.result.digest = printed
        state.say(f"Digest: {printed}")
        state.say(f"Status: Downloaded newer image for {state.display}")
        state.result.ok = True
    except (EngineFailure, OSError) as err:  # OSError: the HTTP transport could not reach the registry
        state.result.error = str(err)
        state.say(state.result.error)
    return state.result


# -- Docker 1.8 / 1.9 ------------------------------------------------------------------------

def _pull_v19(s: _Pull) -> Digest:
    response = s.get(s.tag_or_digest)
    if not response.ok:
        raise EngineFailure(s.session.error(response))
    s.keep(response)
    try:
        manifest = schema1.parse(response.body, require_signature=False)
    except ManifestError as err:
        raise EngineFailure(str(err)) from None
    digest = from_bytes(manifest.canonical)
    if s.digest and digest != s.digest:
        raise EngineFailure(f"image verification failed for digest {s.digest}")
    ref = s.tag_or_digest
    if manifest.schema_version != 1:
        raise EngineFailure(s.p.schema_version_text.format(version=manifest.schema_version, tag=ref))
    _check_layers(manifest, f'tag "{ref}"')
    s.pulling()
    s.blobs(reversed(manifest.fs_layers))
    return digest


def _check_layers(manifest, what: str) -> None:
    if len(manifest.fs_layers) != len(manifest.history):
        raise EngineFailure(f"length of history not equal to number of layers for {what}")
    if not manifest.fs_layers:
        raise EngineFailure(f"no FSLayers in manifest for {what}")


# -- Docker 1.10 and later -------------------------------------------------------------------

_NOT_FOUND = {  # 1.13+ rewrite these codes when they come as full errors (wire.translatable)
    "short": {ErrorCode.MANIFEST_UNKNOWN: "manifest for {display} not found",
              ErrorCode.NAME_UNKNOWN: "repository {repo} not found",
              ErrorCode.DENIED: "repository {repo} not found: does not exist or no pull access"},
    "wrapped": {ErrorCode.MANIFEST_UNKNOWN: "manifest for {display} not found: {cause}",
                ErrorCode.NAME_UNKNOWN: "repository {repo} not found: {cause}",
                ErrorCode.DENIED: "pull access denied for {repo}, repository does not exist or may require "
                                  "'docker login': {cause}"},
}


def _not_found(s: _Pull, response) -> EngineFailure:
    """A failed manifest fetch: 1.13+ keep the first error only and translate the not-found codes."""
    if not s.p.not_found_text:
        return EngineFailure(s.session.error(response))
    cause = first_error_text(response, s.session.error_style)
    template = _NOT_FOUND[s.p.not_found_text].get(translatable(response, s.session.error_style))
    if template is None:
        return EngineFailure(cause)
    return EngineFailure(template.format(display=s.display, repo=s.repo, cause=cause))


def _resolve(s: _Pull) -> str:
    """27: HEAD the tag (GET if that fails or has no digest header) and return the digest."""
    head = s.get(s.tag_or_digest, "HEAD")
    response = head
    if not (200 <= head.status < 400 and head.headers.get("Docker-Content-Digest")):
        response = s.get(s.tag_or_digest)
        if not 200 <= response.status < 400:
            raise _not_found(s, response)
    try:
        return Digest(response.headers.get("Docker-Content-Digest") or "")
    except DigestError as err:
        raise EngineFailure(str(err)) from None


def _parse(s: _Pull, response):
    content_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    table = {**_TABLE, **_OCI} if s.p.pulls_oci else _TABLE
    parser = table.get(content_type, table[""])
    try:
        return parser(response.body)
    except ManifestError as err:
        raise EngineFailure(str(err)) from None


def _pull_v110(s: _Pull) -> Digest:
    reference = _resolve(s) if (s.p.resolve_tag and not s.digest) else s.tag_or_digest
    response = s.get(reference)
    if not response.ok:
        raise _not_found(s, response)
    s.keep(response)
    manifest = _parse(s, response)
    s.pulling()
    if isinstance(manifest, (manifestlist.ManifestList, oci.OCIIndex)):
        return _pull_list(s, manifest)
    if s.p.require_schema2 and isinstance(manifest, schema1.Schema1Manifest):
        raise EngineFailure("invalid manifest: not schema2")
    return _pull_image(s, manifest, s.digest, s.display)


def _pull_image(s: _Pull, manifest, digest: Digest | None, ref: str) -> Digest:
    if isinstance(manifest, schema1.Schema1Manifest):
        if s.p.schema1_refusal:  # always the pulled reference, also for a list's child
            text = s.p.schema1_refusal.format(ref=s.display)
            if s.p.schema1_pull_option:  # 26-28.1 log it as a warning (M@v27.5.1:distribution/pull_v2.go:427-431)
                s.result.daemon_log.append(text)
            if not s.p.schema1_pull_warning:
                raise EngineFailure(text)
            s.say(text)
        computed = from_bytes(manifest.canonical)
        if digest and computed != digest:
            raise EngineFailure(f"image verification failed for digest {digest}")
        if manifest.schema_version != 1:
            raise EngineFailure(s.p.schema_version_text.format(version=manifest.schema_version, ref=ref))
        _check_layers(manifest, f'"{ref}"')
        s.blobs(d for d, h in zip(reversed(manifest.fs_layers), reversed(manifest.history))
                if not _throwaway(h))
        return computed
    if isinstance(manifest, (schema2.Schema2Manifest, oci.OCIManifest)):
        computed = from_bytes(manifest.raw)
        if digest and computed != digest:
            raise EngineFailure(f"manifest verification failed for digest {digest}")
        config = download_blob(s.session, s.name, str(manifest.config.digest), what="image config")
        expected = _diff_ids(config)
        if expected is None:
            raise EngineFailure("image config has no rootfs section")
        fetched: dict[str, str] = {}  # a layer listed twice is downloaded once
        for layer in manifest.layers:
            if str(layer.digest) not in fetched:
                fetched[str(layer.digest)] = _diff_id(download_blob(s.session, s.name, str(layer.digest)))
        if [fetched[str(layer.digest)] for layer in manifest.layers] != expected:
            raise EngineFailure("layers from manifest don't match image configuration")
        return computed
    raise EngineFailure("unsupported manifest format")


def _pull_list(s: _Pull, index) -> Digest:
    list_digest = from_bytes(index.raw)
    if s.digest and list_digest != s.digest:
        raise EngineFailure(f"manifest verification failed for digest {s.digest}")
    entry = select_platform(list(index.manifests))
    if entry is None:
        raise EngineFailure(s.p.no_platform_text)
    child_digest = Digest(str(entry.digest))
    response = s.get(child_digest)
    if not response.ok:
        raise _not_found(s, response)
    child = _parse(s, response)
    if isinstance(child, (manifestlist.ManifestList, oci.OCIIndex)):
        raise EngineFailure("unsupported manifest format")
    _pull_image(s, child, child_digest, f"{s.repo}@{child_digest}")
    return list_digest


def _throwaway(v1_compatibility: str) -> bool:
    try:
        return json.loads(v1_compatibility).get("throwaway") is True
    except (ValueError, AttributeError):
        return False


def _diff_ids(config: bytes) -> list[str] | None:
    try:
        ids = json.loads(config)["rootfs"]["diff_ids"]
    except (ValueError, KeyError, TypeError):
        return None
    return list(ids) if isinstance(ids, list) else None


def _diff_id(layer: bytes) -> str:
    """The digest of the uncompressed layer, as registering it computes (gzip or plain tar)."""
    if layer[:2] == b"\x1f\x8b":
        try:
            layer = gzip.decompress(layer)
        except (OSError, EOFError, zlib.error) as err:
            raise EngineFailure(f"failed to register layer: {err}") from None
    return str(from_bytes(layer))


_FAMILIES = {"v1.6": pull_v16, "v1.7": pull_v16, "v1.9": _pull_v19, "v1.10": _pull_v110}
