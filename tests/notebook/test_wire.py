"""The wire view: rows, marks and text built from hand-made exchanges."""

import json
import re

from regcompat.digest import from_bytes
from regcompat.messages import Exchange, Request, Response
from regcompat.mediatypes import MediaType
from regcompat.notebook.wire import MATCH, MISMATCH, short_digest, wire_html, wire_row, wire_text

BLOB = b"a layer's bytes"
SCHEMA2 = json.dumps({"schemaVersion": 2, "mediaType": MediaType.SCHEMA2,
                      "config": {"mediaType": MediaType.DOCKER_CONFIG, "size": 2, "digest": str(from_bytes(b"{}"))},
                      "layers": []}, indent=3).encode()


def blob_get(dcd):
    return Exchange(
        Request("GET", f"/v2/demo/app/blobs/{from_bytes(BLOB)}"),
        Response(200, [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", dcd)], BLOB),
    )


def test_blob_get_whose_header_matches_the_body_gets_a_check_mark():
    row = wire_row(blob_get(str(from_bytes(BLOB))))
    assert (row.method, row.status, row.match, row.mark) == ("GET", 200, True, MATCH)
    assert row.computed == from_bytes(BLOB)
    assert row.over == "exact bytes"


def test_blob_get_whose_header_lies_gets_a_cross():
    row = wire_row(blob_get(str(from_bytes(b"something else"))))
    assert row.match is False and row.mark == MISMATCH


def test_head_and_errors_carry_nothing_to_hash():
    head = Exchange(Request("HEAD", "/v2/demo/app/manifests/latest"),
                    Response(200, [("Docker-Content-Digest", str(from_bytes(SCHEMA2)))], b""))
    missing = Exchange(Request("GET", "/v2/demo/app/manifests/nope"),
                       Response(404, [("Content-Type", "application/json; charset=utf-8")], b'{"errors":[]}'))
    assert wire_row(head).match is None and wire_row(head).mark == ""
    assert wire_row(missing).computed == ""


def test_schema2_manifest_get_is_hashed_over_its_exact_bytes():
    ex = Exchange(
        Request("GET", "/v2/demo/app/manifests/latest", [("Accept", MediaType.SCHEMA2), ("Accept", MediaType.MANIFEST_LIST)]),
        Response(200, [("Content-Type", MediaType.SCHEMA2), ("Docker-Content-Digest", str(from_bytes(SCHEMA2)))], SCHEMA2),
    )
    row = wire_row(ex)
    assert row.accept == (MediaType.SCHEMA2, MediaType.MANIFEST_LIST)
    assert row.match is True and row.over == "exact bytes"
    text = wire_text([ex])
    assert "Accept: schema2, manifest list" in text
    assert f"{MATCH} recomputed {short_digest(from_bytes(SCHEMA2))}" in text


def test_manifest_put_is_checked_against_the_bytes_sent():
    ex = Exchange(
        Request("PUT", "/v2/demo/app/manifests/latest", [("Content-Type", MediaType.SCHEMA2)], SCHEMA2),
        Response(201, [("Docker-Content-Digest", str(from_bytes(SCHEMA2)))], b""),
    )
    row = wire_row(ex)
    assert row.match is True and row.over == "exact bytes sent"


def test_no_accept_header_is_spelled_out_and_html_escapes_paths():
    ex = Exchange(Request("GET", "/v2/demo/app/manifests/<x>"), Response(404, [], b""))
    assert "Accept: (no Accept)" in wire_text([ex])
    assert ">/v2/demo/app/manifests/&lt;x&gt;</span>" in wire_html([ex]) and "<x>" not in wire_html([ex])


def test_manifests_only_hides_blob_traffic():
    ex = blob_get(str(from_bytes(BLOB)))
    assert wire_text([ex], manifests_only=True) == ""
    assert "/blobs/" in wire_text([ex])


def test_short_digest():
    d = from_bytes(b"")
    assert short_digest(d) == "sha256:e3b0c44298fc"
    assert short_digest(None) == "-" and short_digest("") == "-"


def test_the_html_table_fits_its_output_area():
    """The Playground's wire table was 1,904 px wide in a 934 px output area: it must fit and wrap."""
    import regcompat as rc
    result = rc.scenario("1.10", "2.3.0", "1.9", "digest")
    table = wire_html(list(result.push.exchanges) + list(result.pull.exchanges))
    assert "width:100%;table-layout:fixed" in table and "overflow-wrap:anywhere" in table
    assert "application/vnd.docker" not in table.replace('title="application/vnd.docker', "")
    digest = result.push.digest
    assert f">{digest}<" not in table and f'title="{digest}"' in table   # cut in the cell, whole on hover
    widths = [int(w) for w in re.findall(r'<col style="width:(\d+)%">', table)]
    assert sum(widths) == 100
