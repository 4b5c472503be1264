"""Docker Engine client versions as rows of data.

One :class:`EngineProfile` per modelled engine says what that daemon sends
and checks when it talks to a registry; the flows (push.py, pull.py) read these rows
and never test a version number. Everything here was read in the moby/moby
source at the tag named in ``source`` (``M@tag:path:line``); anything not read
there is marked UNCONFIRMED.

Fields:
  * ``accept`` - the ``Accept`` headers of a manifest GET, one header per
    type. 1.10+ send ``distribution.ManifestMediaTypes()``, the keys of a Go
    map walked in random order, so the real order changes from request to
    request (a real Docker 20.10 sent the six types in several rotations);
    the model fixes one order, an approximation: only the set is real.
    1.6-1.9 send none.
  * ``pull_family`` - which verification routine the pull runs:
    ``"v1.6"``/``"v1.7"`` (libtrust signatures verified, DCD checked against
    the payload digest: ``M@v1.6.2:graph/manifest.go:40-60``,
    ``M@v1.7.1:graph/manifest.go:21-80,150-160``), ``"v1.9"`` (schema1
    decoded without signature, digest then schemaVersion check:
    ``M@v1.9.1:graph/pull_v2.go:443-486``), ``"v1.10"`` (parse by
    Content-Type, per-type verification: ``M@v1.10.0:distribution/pull_v2.go``).
  * ``resolve_tag`` - 20.10+: a tag is first resolved with HEAD (GET if HEAD
    fails or has no DCD), then the manifest is fetched by digest
    (``M@v27.5.1:vendor/github.com/docker/distribution/registry/client/repository.go:297-346``,
    ``M@v27.5.1:distribution/pull_v2.go:338-400``, the same in
    ``M@v20.10.24:distribution/pull_v2.go:339-380``). Left out: 20.10-27's
    fallback to a GET by tag when the GET by digest answers 404.
  * ``schema1_refusal`` - the text that ends a pull of a schema1 manifest.
    26.0-28.1 (moby/moby#47459, merged 2024-02-28, first in v26.0.0-rc1):
    :data:`SCHEMA1_DEPRECATION`, logged as a warning and returned unless the
    daemon runs with ``DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE`` set
    (``M@v27.5.1:distribution/errors.go:220-227``, ``pull_v2.go:426-436``;
    ``Engine("27", ..., enable_schema1_pull=True)``: the notice is printed and
    the pull goes on). 28.2 removed the variable and schema1 pulls:
    :data:`SCHEMA1_REMOVED` (``M@v28.2.0:distribution/errors.go:229-236``,
    ``pull_v2.go:395-396``; unchanged in ``M@v28.5.2``). 20.10 and older pull
    schema1 (20.10 warns only for docker.io, ``M@v20.10.24:distribution/pull_v2.go:443-452``).
  * ``push`` - ``"schema1"`` (1.6-1.9: signed with the daemon key, PUT with no
    Content-Type) or ``"schema2"``; ``fallback`` - a failed schema2 PUT is
    retried as schema1 (1.10-17.x on Linux with a trust key,
    ``M@v1.10.0:distribution/push_v2.go:153-196``,
    ``M@v17.06.0-ce:distribution/push_v2.go:176-200``; 20.10 and 27 only
    with ``DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE``, ``Engine(...,
    allow_schema1_push=True)``, which prints a ``[DEPRECATION NOTICE]`` line
    after the fallback, ``M@v20.10.24:distribution/push_v2.go:184-222``,
    ``M@v27.5.1:distribution/push_v2.go:190-233``; 28 has no fallback,
    ``M@v28.5.2:distribution/push_v2.go:184-191``).
  * ``schema1_push_removed`` - 20.10+: without the fallback, a refused
    schema2 PUT whose error text is exactly ``tag invalid`` (a TAG_INVALID
    reply with the default message and no detail, see wire.py) is logged and
    wrapped: :data:`SCHEMA1_PUSH_REMOVED` ``: tag invalid``
    (``M@v20.10.24:distribution/push_v2.go:193-199``). A real Docker 20.10
    printed exactly this against ``regcompat serve`` 2.0 and 2.1.
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
  * ``not_found_text`` - 1.13+ keep only the first error of a failed
    manifest fetch and rewrite MANIFEST_UNKNOWN as ``manifest for <ref> not
    found`` (``M@v17.06.0-ce:distribution/errors.go:67-95``); 20.10+ keep
    the cause: ``manifest for <ref> not found: manifest unknown: manifest
    unknown`` (``M@v20.10.24:distribution/errors.go:70-82``,
    ``M@v27.5.1:distribution/errors.go:42-60``; a real Docker 20.10 printed it).
    Only a full error is rewritten, not a bare code (wire.translatable).
  * ``client_errors`` - the generation of the vendored registry client's
    error texts (wire.py): "1.9", "1.10", "1.11" (1.11-24), "25" (25+).
  * ``tolerant_layer_check`` - 1.13+: a failed layer HEAD is logged, not
    fatal (wire.upload_blob).
  * ``digest_label`` - what prefixes ``Pulling from`` in a pull by digest:
    the digest (up to 19.03, ``M@v17.06.0-ce:distribution/pull_v2.go:342``)
    or the whole reference (20.10+, ``M@v20.10.24:distribution/pull_v2.go:351``;
    a real 20.10 printed ``127.0.0.1:PORT/t/s1@sha256:...: Pulling from t/s1``).
  * ``push_banner`` - ``The push refers to a repository [...]`` up to 17.x,
    ``The push refers to repository [...]`` from 18.09
    (``M@v18.09.0:distribution/push.go``; printed so by a real 20.10).

Rows 20.10, 27 and 28 (20.10.24, 27.5.1, 28.5.2): 20.10 is Debian's
``docker.io`` package; its daemon was run against Debian's docker-registry
2.8.2 and ``regcompat serve`` 2.0-3.0 (tests/live/test_docker_live.py), and
where it disagreed with this row the daemon won: the ``repository`` banner,
the reference before ``Pulling from`` and the error texts above came from
it. 27 and 28 are read in the sources only. 29 is not modelled: its
registry client no longer registers schema1 (it would send four ``Accept``
types, ``M@docker-v29.7.2:vendor/github.com/docker/distribution/manifests.go``)
and it detects schema1 by content (``daemon/internal/distribution/manifest.go:281-330``),
which changes the schema1 texts in ways not checked here.

Left out: the v1 registry fallback of 1.6-1.9 (a by-digest pull cannot use
v1 and its error is discarded; the final user text after a by-tag v1 fallback
is UNCONFIRMED), authentication, mirrors, Windows, plugins (RequireSchema2).
The ``Error response from daemon:`` prefix the CLI adds is left out of
``error`` (its exact form per version is UNCONFIRMED).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mediatypes import MediaType

__all__ = ["EngineProfile", "PROFILES", "ENGINE_VERSIONS", "profile", "SCHEMA1_DEPRECATION", "SCHEMA1_REMOVED",
           "SCHEMA1_PUSH_REMOVED", "SCHEMA1_PUSH_NOTICE", "profile_rows"]

#: Docker 26/27's refusal of schema1, ``M@v27.5.1:distribution/errors.go:220-227``.
SCHEMA1_DEPRECATION = (
    "[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 "
    "support is disabled by default and will be removed in an upcoming release. Suggest the author "
    "of {ref} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More "
    "information at https://docs.docker.com/go/deprecated-image-specs/")

#: Docker 28.2+'s refusal of schema1, ``M@v28.2.0:distribution/errors.go:229-236``.
SCHEMA1_REMOVED = (
    "Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. "
    "Suggest the author of {ref} to upgrade the image to the OCI Format or Docker Image manifest v2, "
    "schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/")

#: 20.10+'s wrap of a ``tag invalid`` schema2 refusal, ``M@v20.10.24:distribution/push_v2.go:195``.
SCHEMA1_PUSH_REMOVED = (
    "[DEPRECATED] support for pushing manifest v2 schema1 images has been removed. More information at "
    "https://docs.docker.com/registry/spec/deprecated-schema-v1/")

#: Printed after a schema1 fallback push with DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE, ``M@v20.10.24:distribution/push_v2.go:220``.
SCHEMA1_PUSH_NOTICE = (
    "[DEPRECATION NOTICE] support for pushing manifest v2 schema1 images will be removed in an upcoming "
    "release. Please contact admins of the {domain} registry NOW to avoid future disruption. More "
    "information at https://docs.docker.com/registry/spec/deprecated-schema-v1/")

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
    schema1_refusal: str = ""         # "" (schema1 pulls work) | the text that ends the pull
    schema1_pull_option: bool = False  # 26.0-28.1: DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE exists
    schema1_pull_warning: bool = False  # set on a copy by Engine(..., enable_schema1_pull=True)
    schema1_push_option: bool = False  # 20.10, 27: DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE exists
    schema1_push_notice: bool = False  # set on a copy by Engine(..., allow_schema1_push=True)
    schema1_push_removed: bool = False  # 20.10+: "tag invalid" is wrapped in SCHEMA1_PUSH_REMOVED
    pulls_lists: bool = False
    pulls_oci: bool = False
    not_found_text: str = ""          # "" | "short" (17.06) | "wrapped" (20.10+)
    client_errors: str = "1.11"       # registry client error texts: "1.9" | "1.10" | "1.11" | "25"
    tolerant_layer_check: bool = False  # 1.13+: a failed layer HEAD is logged and the upload goes on
    digest_label: str = "digest"      # "digest" | "reference" (20.10+): before "Pulling from"
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

    @property
    def schema1_pull_refused(self) -> bool:
        """Whether a pull of a schema1 manifest fails (26+)."""
        return bool(self.schema1_refusal) and not self.schema1_pull_warning

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
    schema_version_text="", client_errors="1.10", source="M@v1.6.2:graph/pull.go:430-460, graph/push.go:425-440, "
    "registry/session_v2.go:300-350")
_V17 = EngineProfile(
    version="1.7", release="1.7.1", released="2015-07", accept=(), pull_family="v1.7", push="schema1",
    schema1_style="docker1.6", schema1_client="session", signed_log=_SIGNED_LOG.replace("{name}", "{repo}"),
    push_banner="The push refers to a repository [{repo}] (len: 1)", push_digest_line="Digest: {digest}",
    schema_version_text="", client_errors="1.10", source="M@v1.7.1:graph/pull.go:500-704, graph/manifest.go:21-160")
_V19 = EngineProfile(
    version="1.9", release="1.9.1", released="2015-11", accept=(), pull_family="v1.9", push="schema1",
    signed_log=_SIGNED_LOG,
    push_banner="The push refers to a repository [{repo}] (len: 1)",
    schema_version_text='unsupported schema version {version} for tag "{tag}"', client_errors="1.9",
    source="M@v1.9.1:graph/pull_v2.go:240-486, graph/push_v2.go:108-227")
_V110 = EngineProfile(
    version="1.10", release="1.10.0", released="2016-02", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, config_media_type=MediaType.OCTET_STREAM, pulls_lists=True,
    schema_version_text='unsupported schema version {version} for "{ref}"', client_errors="1.10",
    source="M@v1.10.0:distribution/pull_v2.go:225-660, distribution/push_v2.go:153-196")
_V112 = EngineProfile(
    version="1.12", release="1.12.0", released="2016-07", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, keep_author=True, pulls_lists=True,
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v1.12.0:distribution/pull_v2.go, distribution/push_v2.go:170-186")
_V1706 = EngineProfile(
    version="17.06", release="17.06.0-ce", released="2017-06", accept=_ACCEPT_110, pull_family="v1.10",
    push="schema2", fallback=True, keep_author=True, pulls_lists=True, not_found_text="short",
    require_schema2_option=True, tolerant_layer_check=True,
    no_platform_text="no matching manifest for linux/amd64 in the manifest list entries",
    schema_version_text='unsupported schema version {version} for "{ref}"',
    source="M@v17.06.0-ce:distribution/pull_v2.go:326-845, distribution/errors.go:67-95, push_v2.go:160-212")
_MODERN = dict(
    accept=_ACCEPT_27, pull_family="v1.10", push="schema2", fallback=False, keep_author=True, resolve_tag=True,
    pulls_lists=True, pulls_oci=True, not_found_text="wrapped", require_schema2_option=True,
    tolerant_layer_check=True, schema1_push_removed=True, digest_label="reference",
    push_banner="The push refers to repository [{repo}]",
    no_platform_text="no matching manifest for linux/amd64 in the manifest list entries",
    schema_version_text='unsupported schema version {version} for "{ref}"')
_V2010 = EngineProfile(
    version="20.10", release="20.10.24", released="2023-04", schema1_push_option=True, **_MODERN,
    source="M@v20.10.24:distribution/pull_v2.go:339-460, distribution/push_v2.go:184-222, "
    "distribution/errors.go:70-82; a real 20.10.24 daemon (tests/live/test_docker_live.py)")
_V27 = EngineProfile(
    version="27", release="27.5.1", released="2025-01", schema1_refusal=SCHEMA1_DEPRECATION,
    schema1_pull_option=True, schema1_push_option=True, client_errors="25", **_MODERN,
    source="M@v27.5.1:distribution/pull_v2.go:338-470, distribution/errors.go:42-227, push_v2.go:177-248")
_V28 = EngineProfile(
    version="28", release="28.5.2", released="2025-11", schema1_refusal=SCHEMA1_REMOVED, client_errors="25",
    **_MODERN, source="M@v28.5.2:distribution/pull_v2.go:338-400, distribution/errors.go:229-236, "
    "push_v2.go:184-191")

#: Every modelled engine, oldest first.
PROFILES: dict[str, EngineProfile] = {p.version: p for p in (_V16, _V17, _V19, _V110, _V112, _V1706, _V2010, _V27, _V28)}
ENGINE_VERSIONS: tuple[str, ...] = tuple(PROFILES)


def profile(version: str) -> EngineProfile:
    """The profile of ``version`` ("1.9", "1.10", "20.10", "28"...); a full release like "1.10.3" maps to its row.

    28.0.x and 28.1.x map to the "27" row, whose schema1 behaviour they share; "28" is 28.2 and later.
    """
    if isinstance(version, EngineProfile):
        return version
    text = str(version)
    if text in PROFILES:
        return PROFILES[text]
    if text.startswith(("28.0.", "28.1.")) or text in ("28.0", "28.1"):
        return PROFILES["27"]  # 28.0/28.1 still had DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE (M@v28.1.1:distribution/pull_v2.go:426-436)
    for key in sorted(PROFILES, key=len, reverse=True):
        if text.startswith(key + ".") or text.startswith(key + "-"):
            return PROFILES[key]
    raise ValueError(f"unknown engine version {text!r}; known: {', '.join(ENGINE_VERSIONS)}")


def profile_rows() -> list[dict]:
    """Every profile as a dict, oldest first."""
    return [p.row() for p in PROFILES.values()]
