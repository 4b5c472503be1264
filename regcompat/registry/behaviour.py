"""What each registry version does, as one table of data.

Every difference between distribution releases that the model reproduces is a
field of :class:`Behaviour`; the handlers read these fields and never test a
version string. Each field's comment names the source of the fact (see
``registry-behavior.md`` sections 1-3 and 6, and the recorded sessions).

Versions are release families: "2.4" stands for 2.4.x, "2.8" for 2.8.x and so
on; 2.2.1 and 2.3.x are their patch releases. :func:`behaviour` accepts a full
version such as "2.8.2". Each row is checked against a recorded session of one
build of its line (tests/golden/conformance): 2.0.1, 2.1.1, 2.2.1, 2.3.0,
2.3.1, 2.4.0 and 2.4.1 (a patch row, ``_UNLIKE_FAMILY``), 2.5.2, 2.6.2,
2.7.1, 2.8.2 and 3.0.0.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..errors import ErrorCode

__all__ = ["Behaviour", "BEHAVIOURS", "REGISTRY_VERSIONS", "behaviour", "behaviour_rows"]


@dataclass(frozen=True)
class Behaviour:
    version: str
    released: str

    # -- manifest PUT (registry-behavior.md section 1)
    #: "schema1-any": body always decoded as schema1, unsigned accepted (2.0, 2.1);
    #: "schema1-jws": always schema1, a JWS is required to decode (2.2);
    #: "content-type": Content-Type -> parser table, unknown falls back to schema1 (2.3-2.8);
    #: "content-type-strict": table without schema1 and without a default (3.0).
    put_parser: str
    put_success_status: int          # 202 in 2.0.0, 201 from 2.1.0
    put_errors_always_400: bool      # 2.0.0 writes 400 for every PUT failure
    put_checks_embedded_tag: bool    # 2.0-2.2 compare the schema1 "tag" field with the URL tag
    put_checks_embedded_name: bool   # 2.0-2.1: manifest name must equal the repository
    missing_layer_code: ErrorCode    # BLOB_UNKNOWN (2.0, 2.1), MANIFEST_BLOB_UNKNOWN from 2.2
    schema2_requires_media_type: bool  # 2.7: schema2 body's mediaType must be the v2 type
    schema2_version_checked: bool    # 2.7: schemaVersion != 2 is a plain error -> 500
    oci: bool                        # OCI manifest and index registered from 2.7
    schema1_push_switch: bool        # 2.7+: schema1 PUT refused unless compatibility.schema1.enabled
    schema1: bool                    # False in 3.0: no schema1 package at all
    untyped_schema2_stored: bool     # 2.3-2.6: a schema2 body without mediaType is stored but unreadable
    #: How schema2/OCI verification treats layers with ``urls`` (storage/schema2manifesthandler.go):
    #: "stat" (2.3-2.4: every layer must be a blob), "urls-strict" (2.5: a foreign layer needs
    #: http(s) URLs and is not looked up, any other layer with URLs is refused), "urls" (2.6: the
    #: same, other layers with URLs are not looked up), "deny" (2.7+: validation on by default
    #: allows no URL, so every foreign layer is refused: 500, seen against 2.8.2).
    foreign_layers: str
    #: A manifest list may name any blob of the repository (the manifest link store also
    #: reads blob links: registry.go manifestLinkPathFns, 2.4-2.8); a GET of that child reads
    #: the blob as a manifest and fails (recorded: layer_as_manifest; seen against 2.8.2).
    blob_links_as_manifests: bool
    #: The router's repository name may start with a registry host whose components may be
    #: upper case and carry a port (2.4+: reference.NameRegexp; /v2/Upper/app/tags/list is
    #: 404 NAME_UNKNOWN on 2.8.2, seen); before, only lower-case path components route
    #: (2.2-2.3's lower-case host part is modelled as path components: approximate).
    route_host_names: bool

    # -- manifest GET / HEAD (section 2)
    #: "ignored" (2.0-2.2), "exact" (2.3-2.4: each header value compared whole),
    #: "split" (2.5-2.8: split on ",", params dropped, q ignored), "mime" (3.0).
    accept: str
    head_routed: bool                # HEAD answered from 2.3; gorilla's 405 before
    etag: bool                       # ETag and If-None-Match from 2.1
    legacy_schema1_content_type: bool  # <=2.2: schema1 served as application/json; charset=utf-8
    converts_schema2: bool           # 2.3-2.8 convert schema2 -> schema1 by tag for old clients
    converted_digest_header: str     # "stored" (2.3.0 bug, distribution#1444) or "converted"
    list_rewrite_digest: str         # "list" (2.3-2.6 bug, distribution#2395) or "child" (2.7+)
    list_schema2_child_refused: bool  # 3.0: 400 "Schema 2 manifest not supported by client"
    keep_author: bool                # from 2.4.1: conversion keeps history "author" (commit 93d76247f)
    schema1_signatures: str          # "stored" (<=2.4 serve the pushed signatures), "fresh" (2.5+ re-sign)
    unknown_tag_detail_has_name: bool  # <=2.2: {"Name","Tag"}; from 2.3: {"Tag"}
    stored_schema1_unreadable: bool  # 3.0: stored schema1 -> 500 UNKNOWN
    legacy_digest_parsing: bool      # <=2.6: distribution's own digest package (uppercase hex accepted)
    manifest_size_limit: int | None  # bytes; None = no limit in the handler
    range_checked: bool              # PATCH Content-Range must start at the upload size (416 RANGE_INVALID): 3.0 (recorded); 2.0-2.8 append (recorded)
    catalog: bool                    # /v2/_catalog from 2.1
    #: Largest catalog ``n``: None (2.1-2.7: taken as asked; n=0 is a 500, storage/catalog.go
    #: "no space in slice"), 1000 (2.8+: catalog.maxentries' default; above it 400
    #: PAGINATION_NUMBER_INVALID {"n": n}, seen against 2.8.2 and recorded from 3.0.0).
    catalog_max_entries: int | None
    #: 3.0: an ``n`` that does not parse, or a negative one, is 400 {"n": "<text>"}
    #: (v3.0.0 handlers/catalog.go:46-51); before, it is ignored.
    catalog_n_strict: bool
    #: Shortest repository name component: 2 in 2.0 (v2.0.1 api/v2/names.go:16: 400
    #: NAME_INVALID "respository name component must be 2 or more characters"), 1 from 2.1.
    name_component_min_length: int
    mount: bool                      # cross-repository blob mount from 2.3
    event_tag: bool                  # notification events carry "tag" from 2.4
    storage_errors_are_500: bool     # 2.7+: a tag/storage error other than "unknown" is 500 UNKNOWN (commit 2e94c22fe), 404 before
    storage_driver: str              # the driver named in storage error details ("filesystem" in the recordings)

    # -- how errors and JSON are written (the recorded sessions of every line)
    #: Content-Type of an error body: 2.0 writes the body before setting the header, so Go
    #: sniffs "text/plain; charset=utf-8" (v2.0.1 handlers/helpers.go:13); 2.1-2.8
    #: "application/json; charset=utf-8" (errcode/handler.go); 3.0 "application/json".
    error_content_type: str
    #: Content-Type of the tag list, the catalog and /v2/: no charset from 3.0.
    json_content_type: str
    #: A Go error in a detail is written as its Error() text: 2.0 (api/v2/errors.go:150-152)
    #: and 3.0 (errcode/errors.go:233-237); 2.1-2.8 write its exported fields ({} if none).
    error_detail_text: bool
    #: BLOB_UNKNOWN's detail: "fslayer" = {"blobSum": d} (2.0 pushes the FSLayer struct:
    #: v2.0.1 handlers/layer.go:59, images.go:140), "digest" = the digest string (2.1+).
    blob_unknown_detail: str
    #: How a manifest PUT reports a verification error it has no code for (a schema1 name
    #: that is not the repository's, a bad signature...): "message" = one UNKNOWN whose
    #: message is the error's text (2.0: Errors.PushErr, v2.0.1 handlers/images.go);
    #: "pair" = UNKNOWN, then UNKNOWN with the error as detail (2.1+: handlers/images.go
    #: appends errcode.ErrorCodeUnknown and the error), hence a 500.
    verification_error: str

    # -- blob uploads, ranges, listing and odd routes (the edges-registry-* recorded sessions)
    #: What a ``_state`` token whose Offset is not the upload's size does:
    #: "seek" (2.0-2.3: never checked, the next write goes at the token's offset,
    #: v2.3.1 handlers/blobupload.go:81-100), "invalid" (2.4-2.8: 404 BLOB_UPLOAD_INVALID,
    #: no detail, and the upload survives: the writer is closed before the cancel,
    #: which then fails, 2.8.2 handlers/blobupload.go:78-84), "range" (3.0: 416
    #: RANGE_INVALID, upload kept, v3.0.0 ResumeBlobUpload).
    upload_stale_offset: str
    upload_token_error_status: int   # a token that fails to unpack: 400 in 2.0 (layerupload.go:39), 404 after
    upload_token_error_text: str     # its Go error: "Invalid token" to 2.5, "invalid secret" from 2.6 (handlers/hmac.go)
    upload_unknown_text: str         # ErrBlobUploadUnknown's text: "layer upload unknown" in 2.0 (errors.go:19)
    #: GET/HEAD on an upload report its size (2.4+); 2.0-2.3 answer ``Range: 0-0`` and a
    #: token at offset 0 (``blobUploadResponse(w, r, true)``, "fresh").
    upload_status_reports_offset: bool
    upload_status_reads_token: bool  # 3.0: GET/HEAD on an upload never look at _state
    failed_commit_keeps_upload: bool  # 2.4.1+: a PUT with a wrong digest leaves the upload usable (recorded)
    multi_range: bool                # a blob GET with several ranges: multipart/byteranges (2.x); 3.0 serves it whole (recorded)
    root_route: bool                 # GET / answers 200 ``Cache-Control: no-cache`` from 2.2 (404 before; recorded)
    tags_paginated: bool             # 3.0: tags sorted, ``n``/``last``, a Link header, ``[]`` once all are deleted
    delete_by_tag: bool              # 3.0: DELETE of a manifest by tag untags it (202), even with deletes disabled
    delete_refused_status: int       # UNSUPPORTED for a manifest DELETE: 400 in 2.0 (no deletes at all, images.go:184), 405 after
    #: 2.3-2.6 serve a schema2 manifest pushed with leading whitespace trimmed (recorded:
    #: the bytes no longer hash to the digest they are served under); 2.7+ serve it as pushed.
    serves_trimmed_manifest: bool


_V20 = Behaviour(
    version="2.0", released="2015-04-16",
    put_parser="schema1-any", put_success_status=202, put_errors_always_400=True,
    put_checks_embedded_tag=True, put_checks_embedded_name=True,
    missing_layer_code=ErrorCode.BLOB_UNKNOWN, schema2_requires_media_type=False,
    schema2_version_checked=False, oci=False, schema1_push_switch=False, schema1=True,
    untyped_schema2_stored=False, foreign_layers="stat", blob_links_as_manifests=False,
    route_host_names=False,
    accept="ignored", head_routed=False, etag=False, legacy_schema1_content_type=True,
    converts_schema2=False, converted_digest_header="converted", list_rewrite_digest="list",
    list_schema2_child_refused=False, keep_author=False, schema1_signatures="stored",
    unknown_tag_detail_has_name=True, stored_schema1_unreadable=False,
    legacy_digest_parsing=True, manifest_size_limit=None, range_checked=False,
    catalog=False, catalog_max_entries=None, catalog_n_strict=False, name_component_min_length=2, mount=False, event_tag=False, storage_errors_are_500=False,
    storage_driver="filesystem",
    error_content_type="text/plain; charset=utf-8", json_content_type="application/json; charset=utf-8",
    error_detail_text=True, blob_unknown_detail="fslayer", verification_error="message",
    upload_stale_offset="seek", upload_token_error_status=400, upload_token_error_text="Invalid token",
    upload_unknown_text="layer upload unknown", upload_status_reports_offset=False,
    upload_status_reads_token=True, failed_commit_keeps_upload=False, multi_range=True,
    root_route=False, tags_paginated=False, delete_by_tag=False, delete_refused_status=400,
    serves_trimmed_manifest=False,
)
_V21 = replace(_V20, version="2.1", released="2015-08-11", put_success_status=201,
               put_errors_always_400=False, etag=True, catalog=True, name_component_min_length=1,
               error_content_type="application/json; charset=utf-8", error_detail_text=False,
               blob_unknown_detail="digest", verification_error="pair", upload_token_error_status=404,
               upload_unknown_text="blob upload unknown", delete_refused_status=405)
_V22 = replace(_V21, version="2.2.1", released="2015-12-09", put_parser="schema1-jws",
               put_checks_embedded_name=False, missing_layer_code=ErrorCode.MANIFEST_BLOB_UNKNOWN,
               root_route=True)
_V230 = replace(_V22, version="2.3.0", released="2016-02-04", put_parser="content-type",
                put_checks_embedded_tag=False, untyped_schema2_stored=True, accept="exact",
                head_routed=True, legacy_schema1_content_type=False, converts_schema2=True,
                converted_digest_header="stored", unknown_tag_detail_has_name=False, mount=True,
                serves_trimmed_manifest=True)
_V231 = replace(_V230, version="2.3.1", released="2016-03-08", converted_digest_header="converted")
# The 2.4 row models 2.4.1: the conversion keeps history "author" from v2.4.1
# (distribution commit 93d76247f; 2.4.0 still drops it), earlier than the 2.5
# the behaviour reference gives.
_V24 = replace(_V231, version="2.4", released="2016-04-13", event_tag=True, keep_author=True,
               blob_links_as_manifests=True, route_host_names=True, upload_stale_offset="invalid", upload_status_reports_offset=True,
               failed_commit_keeps_upload=True)
_V25 = replace(_V24, version="2.5", released="2016-07-28", accept="split", schema1_signatures="fresh",
               foreign_layers="urls-strict")
_V26 = replace(_V25, version="2.6", released="2017-01-17", foreign_layers="urls", upload_token_error_text="invalid secret")
_V27 = replace(_V26, version="2.7", released="2018-12-03", schema2_requires_media_type=True,
               schema2_version_checked=True, oci=True, schema1_push_switch=True,
               untyped_schema2_stored=False, list_rewrite_digest="child",
               legacy_digest_parsing=False, manifest_size_limit=4 << 20,
               storage_errors_are_500=True, foreign_layers="deny", serves_trimmed_manifest=False)
_V28 = replace(_V27, version="2.8", released="2022-02-07", catalog_max_entries=1000)
_V30 = replace(_V28, version="3.0", released="2025-04-01", put_parser="content-type-strict",
               schema1=False, schema1_push_switch=False, converts_schema2=False, accept="mime",
               list_schema2_child_refused=True, stored_schema1_unreadable=True,
               error_content_type="application/json", json_content_type="application/json",
               catalog_n_strict=True, blob_links_as_manifests=False,
               error_detail_text=True,
               upload_stale_offset="range", upload_status_reads_token=False, range_checked=True,
               multi_range=False, tags_paginated=True, delete_by_tag=True)

BEHAVIOURS: dict[str, Behaviour] = {
    b.version: b for b in (_V20, _V21, _V22, _V230, _V231, _V24, _V25, _V26, _V27, _V28, _V30)
}
REGISTRY_VERSIONS: tuple[str, ...] = tuple(BEHAVIOURS)

_ALIASES = {"2.0.0": "2.0", "2.0.1": "2.0", "2.1.0": "2.1", "2.1.1": "2.1", "2.2": "2.2.1",
            "2.2.0": "2.2.1", "2.3": "2.3.1"}
#: Patch releases whose behaviour differs from their family's row.
_UNLIKE_FAMILY = {"2.4.0": {"keep_author": False, "failed_commit_keeps_upload": False}}


def behaviour(version: str) -> Behaviour:
    """The row for ``version`` ("2.3.0", "2.8.2", "3.0.0"...); ValueError if unknown."""
    version = str(version).removeprefix("v")
    if version in _UNLIKE_FAMILY:
        return replace(BEHAVIOURS[version.rsplit(".", 1)[0]], version=version, **_UNLIKE_FAMILY[version])
    if version in BEHAVIOURS:
        return BEHAVIOURS[version]
    if version in _ALIASES:
        return BEHAVIOURS[_ALIASES[version]]
    parts = version.split(".")
    if len(parts) >= 2 and ".".join(parts[:2]) in BEHAVIOURS and parts[:2] != ["2", "3"]:
        return BEHAVIOURS[".".join(parts[:2])]
    if parts[0] == "3":
        return BEHAVIOURS["3.0"]
    known = ", ".join(REGISTRY_VERSIONS)
    raise ValueError(f"unknown registry version {version!r}; known: {known}")


def behaviour_rows() -> list[dict]:
    """The table as plain rows (one dict a version), for notebooks and docs."""
    rows = []
    for b in BEHAVIOURS.values():
        row = {}
        for f in fields(b):
            value = getattr(b, f.name)
            row[f.name] = value.name if isinstance(value, ErrorCode) else value
        rows.append(row)
    return rows
