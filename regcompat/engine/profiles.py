"""Docker Engine client versions as rows of data.

One :class:`EngineProfile` per modelled engine says what that daemon sends
and checks when it talks to a registry; the flows (flows.py) read these rows
and never test a version number. Everything here was read in the moby/moby
source at the tag named in ``source`` (``M@tag:path:line``); anything not read
there is marked UNCONFIRMED.

Fields:
  * ``accept`` - the ``Accept`` headers of a manifest GET, one header per
    type (1.10+ send ``distribution.ManifestMediaTypes()``, a Go map walked in
    random order; we fix one order). 1.6-1.9 send none.
  * ``pull_family`` - which verification routine the pull runs:
    ``"v1.6"``/``"v1.7"`` (libtrust signatures verified, DCD checked against
    the payload digest: ``M@v1.6.2:graph/manifest.go:40-60``,
    ``M@v1.7.1:graph/manifest.go:21-80,150-160``), ``"v1.9"`` (schema1
    decoded without signature, digest then schemaVersion check:
    ``M@v1.9.1:graph/pull_v2.go:443-486``), ``"v1.10"`` (parse by
    Content-Type, per-type verification: ``M@v1.10.0:distribution/pull_v2.go``).
  * ``resolve_tag`` - 27: a tag is first resolved with HEAD (GET if HEAD
    fails or has no DCD), then the manifest is fetched by digest
    (``M@v27.5.1:vendor/github.com/docker/distribution/registry/client/repository.go:297-346``,
    ``M@v27.5.1:distribution/pull_v2.go:338-400``).
  * ``schema1_pull_refused`` - 26+: a schema1 manifest ends the pull with
    :data:`SCHEMA1_DEPRECATION` unless ``DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE``
    is set (``M@v27.5.1:distribution/errors.go:220-227``, ``pull_v2.go:426-431``).
    Docker 28 removed schema1 entirely: the daemon's pull says "Docker Image
    Format v1 and Docker Image manifest version 2, schema 1 support has been
    removed." (``M@v28.5.2:distribution/errors.go:229``), BuildKit "support for
    Docker Image Format v1 and Docker Image manifest version 2, schema 1 has been
    removed in Docker Engine v28.2. ..." (``M@v28.5.2:builder/builder-next/adapters/
    containerimage/pull.go:524``); 28 is not modelled.
  * ``push`` - ``"schema1"`` (1.6-1.9: signed with the daemon key, PUT with no
    Content-Type) or ``"schema2"``; ``fallback`` - a failed schema2 PUT is
    retried as schema1 (1.10-17.x on Linux with a trust key,
    ``M@v1.10.0:distribution/push_v2.go:153-196``,
    ``M@v17.06.0-ce:distribution/push_v2.go:176-200``; 27 only with
    ``DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE``, ``M@v27.5.1:distribution/push_v2.go:190-233``).
  * ``require_schema2`` - 1.13+/17.x with ``RequireSchema2`` (set for plugin
    pulls/pushes; ``Engine(..., require_schema2=True)``): no schema1 fallback,
    the daemon logs ``failed to upload schema2 manifest: <err>`` and fails, and
    a schema1 pull is refused ``invalid manifest: not schema2``
    (``M@v17.06.0-ce:distribution/push_v2.go:176-180``, ``pull_v2.go:386-389``).
  * ``schema1_client`` - ``"distribution"`` (1.9: the ``<tag>: digest:`` line
    is printed before the PUT, the response digest ignored) or ``"session"``
    (1.6/1.7: 4xx/5xx give ``Server error: <code> trying to push <name>:<tag>
    manifest``, the returned digest must equal the payload's, ``Digest: <d>``
    printed after); ``signed_log`` - the daemon's "Signed manifest for ...
    using daemon's key: <KeyID>" line (``M@v1.9.1:graph/push_v2.go:209``,
    ``M@v1.6.2:graph/push.go:429``).
  * ``config_media_type`` - 1.10.x/1.11.0 write ``application/octet-stream``
    (distribution/distribution#1621, moby/moby#21949).
  * ``keep_author`` - the vendored schema1 builder copies history ``author``
    (1.12+, ``M@v1.12.0:vendor/src/github.com/docker/distribution/manifest/schema1/config_builder.go:113,149``;
    1.10.0 does not).
  * ``not_found_text`` - 1.13+ rewrite MANIFEST_UNKNOWN as ``manifest for
    <ref> not found`` (``M@v17.06.0-ce:distribution/errors.go:67-95``; 27 keeps
    the cause: ``manifest for <ref> not found: manifest unknown: manifest
    unknown``, ``M@v27.5.1:distribution/errors.go:42-60``).

Left out: the v1 registry fallback of 1.6-1.9 (a by-digest pull cannot use
v1 and its error is discarded; the final user text after a by-tag v1 fallback
is UNCONFIRMED), authentication, mirrors, Windows, plugins (RequireSchema2).
The ``Error response from daemon:`` prefix the CLI adds is left out of
``error`` (its exact form per version is UNCONFIRMED).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mediatypes import MediaType

__all__ = ["EngineProfile", "PROFILES", "ENGINE_VERSIONS", "profile", "SCHEMA1_DEPRECATION", "profile_rows"]

#: Docker 26/27's refusal of schema1, ``M@v27.5.1:distribution/errors.go:220-227``.
SCHEMA1_DEPRECATION = (
    "[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 "
    "support is disabled by default and will be removed in an upcoming release. Suggest the author "
    "of {ref} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More "
    "information at https://docs.docker.com/go/deprecated-image-specs/")

_ACCEPT_110 = (MediaType.SCHEMA1_SIGNED, MediaType.JSON, MediaType.SCHEMA2, MediaType.MANIFEST_LIST)
_ACCEPT_27 = _ACCEPT_110 + (MediaType.OCI_MANIFEST, MediaType.OCI_INDEX)


@dataclass(frozen=True, slots=True)
class EngineProfile:
    """What one Docker Engine version does on the wire (see the module docstring)."""

    version: str
    release: str
    released: str
    accept: tuple[str, ...]
    pull_family: str
    push: str
    fallback: bool = False
    config_media_type: str = MediaType.DOCKER_CONFIG
    keep_author: bool = False
    resolve_tag: bool = False
    schema1_pull_refused: bool = False
    pulls_lists: bool = False
    pulls_oci: bool = False
    not_found_text: str = ""          # "" | "short" (17.06) | "wrapped" (27)
    require_schema2_option: bool = False  # 1.13+: the daemon's RequireSchema2 (plugins) can be set
    require_schema2: bool = False     # set on a copy by Engine(..., require_schema2=True)
    no_platform_text: str = "no supported platform found in manifest list"
    schema_version_text: str = 'unsupported schema version {version} for {ref}'
    schema1_style: str = "distribution"  # payload layout: "docker1.6" = schemaVersion last (1.5-1.7)
    schema1_client: str = "distribution"  # "session": 1.6/1.7 check the PUT's digest, print it after
    signed_log: str = ""              # daemon log line when signing a schema1 push
    push_banner: str = "The push refers to a repository [{repo}]"
    push_digest_line: str = "{tag}: digest: {digest} size: {size}"
    source: str = ""

    def row(self) -> dict:
        """The profile as a flat dict (what notebooks show in a table)."""
        return {
            "engine": self.version, "release": self.release, "released": self.released,
            "accept": ", ".join(self.accept) or "(none)", "push": self.push,
            "schema1 fallback": self.fallback, "config mediaType": self.config_media_type,
            "resolves tag first": self.resolve_tag, "pulls lists": self.pulls_lists,
            "pulls OCI": self.pulls_oci, "refuses schema1": self.schema1_pull_refused,
            "verification": self.pull_family, "source": self.source,
        }


_SIGNED_LOG = "Signed manifest for {name}:{tag} using daemon's key: {key_id}"
_V16 = EngineProfile(
    version="1.6", release="1.6.2", released="2015-05", accept=(), pull_family="v1.6", push="schema1",
    schema1_style="docker1.6", schema1_client="session", signed_log=_SIGNED_LOG.replace("{name}", "{repo}"),
    push_banner="The push refers to a repository [{repo}] (len: 1)", push_digest_line="Digest: {digest}",
    schema_version_text="", source="M@v1.6.2:graph/pull.go:430-460, graph/push.go:425-440, "
    "registry/session_v2.go:300-350")
_V17 = EngineProfile(
    version="1.7", release="1.7.1", released="2015-07", accept=(), pull_family="v1.7", push="schema1",
    schema1_style="docker1.6", schema1_client="session", signed_log=_SIGNED_LOG.replace("{name}", "{repo}"),
    push_banner="The push refers to a repository [{repo}] (len: 1)", push_digest_line="Digest: {digest}",
    schema_version_text="", source="M@v1.7.1:graph/pull.go:500-704, graph/manifest.go:21-160")
_V19 = EngineProfile(
    version="1.9", release="1.9.1", released="2015-11", accept=(), pull_family="v1.9", push="schema1",
    signed_log=_SIGNED_LOG,
    push_banner="The push refers to a repository [{repo}] (len: 1)",
    schema_version_text='unsupported schema version {version} for tag "{tag}"',
    source="M@v1.9.1:graph/pull_v2.go:240-486, graph/push_v2.go:108-227")
_V110 = EngineProfile(
    version="1.10", release="1.10.0", released="2016-02", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, config_media_type=MediaType.OCTET_STREAM, pulls_lists=True,
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v1.10.0:distribution/pull_v2.go:225-660, distribution/push_v2.go:153-196")
_V112 = EngineProfile(
    version="1.12", release="1.12.0", released="2016-07", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, keep_author=True, pulls_lists=True,
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v1.12.0:distribution/pull_v2.go, distribution/push_v2.go:170-186")
_V1706 = EngineProfile(
    version="17.06", release="17.06.0-ce", released="2017-06", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, keep_author=True, pulls_lists=True, not_found_text="short",
    require_schema2_option=True,
    no_platform_text="no matching manifest for linux/amd64 in the manifest list entries",
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v17.06.0-ce:distribution/pull_v2.go:326-845, distribution/errors.go:67-95, push_v2.go:160-212")
_V27 = EngineProfile(
    version="27", release="27.5.1", released="2025-01", accept=_ACCEPT_27, pull_family="v1.10",
    push="schema2", fallback=False, keep_author=True, resolve_tag=True, schema1_pull_refused=True,
    pulls_lists=True, pulls_oci=True, not_found_text="wrapped",
    no_platform_text="no matching manifest for linux/amd64 in the manifest list entries",
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v27.5.1:distribution/pull_v2.go:338-470, distribution/errors.go:42-227, push_v2.go:177-248")

#: Every modelled engine, oldest first.
PROFILES: dict[str, EngineProfile] = {p.version: p for p in (_V16, _V17, _V19, _V110, _V112, _V1706, _V27)}
ENGINE_VERSIONS: tuple[str, ...] = tuple(PROFILES)


def profile(version: str) -> EngineProfile:
    """The profile of ``version`` ("1.9", "1.10", "27"...); a full release like "1.10.3" maps to its row."""
    if isinstance(version, EngineProfile):
        return version
    text = str(version)
    if text in PROFILES:
        return PROFILES[text]
    for key in sorted(PROFILES, key=len, reverse=True):
        if text.startswith(key + ".") or text.startswith(key + "-"):
            return PROFILES[key]
    raise ValueError(f"unknown engine version {text!r}; known: {', '.join(ENGINE_VERSIONS)}")


def profile_rows() -> list[dict]:
    """Every profile as a dict, oldest first."""
    return [p.row() for p in PROFILES.values()]
