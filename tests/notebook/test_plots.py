"""Every plot draws on a given Axes and renders to a PNG without error."""

import io
import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from regcompat.digest import from_bytes
from regcompat.messages import Exchange, Request, Response
from regcompat.notebook.fingerprint import PALETTE
from regcompat.notebook.plots import plot_fingerprint, plot_fingerprints, plot_matrix, plot_sequence


def render(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


def exchanges():
    err = json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}).encode()
    return [
        Exchange(Request("GET", "/v2/"), Response(200, [("Docker-Distribution-API-Version", "registry/2.0")], b"{}")),
        Exchange(Request("GET", "/v2/demo/app/manifests/sha256:" + "a" * 64),
                 Response(404, [("Content-Type", "application/json; charset=utf-8")], err)),
    ]


def test_sequence_diagram_has_a_request_and_a_response_arrow_per_exchange():
    fig, ax = plt.subplots()
    assert plot_sequence(ax, exchanges(), title="t") is ax
    assert len(ax.patches) + len([c for c in ax.get_children() if c.__class__.__name__ == "Annotation"]) >= 4
    texts = [t.get_text() for t in ax.texts]
    assert "engine" in texts and "registry" in texts
    assert any(t.startswith("404") for t in texts)
    render(fig)


def test_sequence_diagram_of_nothing_says_so():
    fig, ax = plt.subplots()
    plot_sequence(ax, [])
    assert "(no exchanges)" in [t.get_text() for t in ax.texts]
    render(fig)


def test_fingerprint_draws_sixteen_palette_squares():
    fig, ax = plt.subplots()
    d = from_bytes(b"hello")
    plot_fingerprint(ax, d)
    colours = [p.get_facecolor() for p in ax.patches]
    assert len(colours) == 16
    import matplotlib.colors as mc
    assert mc.to_hex(colours[0]) == PALETTE[int(d.encoded[0], 16)]
    render(fig)


def test_several_fingerprints_in_a_row():
    fig, ax = plt.subplots()
    plot_fingerprints(ax, {"S": from_bytes(b"a"), "C": from_bytes(b"b")}, title="two")
    assert len(ax.patches) == 32
    render(fig)


def test_matrix_heatmap_marks_each_cell():
    pivot = pd.DataFrame([[True, False], [False, True]],
                         index=pd.Index(["2.3.0", "3.0"], name="registry"),
                         columns=pd.MultiIndex.from_tuples([("1.9", "tag"), ("1.9", "digest")], names=["pull", "by"]))
    fig, ax = plt.subplots()
    plot_matrix(ax, pivot, title="m")
    marks = [t.get_text() for t in ax.texts]
    assert marks == ["\u2714", "\u2718", "\u2718", "\u2714"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1.9 / tag", "1.9 / digest"]
    render(fig)


def test_bad_digest_is_a_clear_error():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="not a hexadecimal digest"):
        plot_fingerprint(ax, "sha256:" + "z" * 64)
    plt.close(fig)


def test_sequence_diagram_shows_what_a_put_declares_and_the_error_code():
    err = json.dumps({"errors": [{"code": "MANIFEST_INVALID", "message": "manifest invalid", "detail": {}}]}).encode()
    put = Exchange(Request("PUT", "/v2/demo/app/manifests/latest", [], b"{}"),
                   Response(400, [("Content-Type", "application/json; charset=utf-8")], err))
    fig, ax = plt.subplots()
    plot_sequence(ax, [put])
    texts = [t.get_text() for t in ax.texts]
    assert "PUT /v2/demo/app/manifests/latest\nContent-Type: none" in texts
    assert "400  MANIFEST_INVALID" in texts
    render(fig)


def test_matrix_heatmap_tells_a_failed_push_from_a_failed_pull():
    """1.9 -> 1.9 on 2.7: the push fails, so nothing is pulled; that cell must not look like a failed pull."""
    import matplotlib.colors as mc
    import numpy as np

    from regcompat.notebook.frames import STATE_STYLE
    pivot = pd.DataFrame([["ok", "pull failed"], ["push failed", "push failed"]],
                         index=pd.Index(["2.3.0", "2.7"], name="registry"),
                         columns=pd.Index(["tag", "digest"], name="by"), dtype=object)
    fig, ax = plt.subplots()
    plot_matrix(ax, pivot)
    assert [t.get_text() for t in ax.texts] == ["\u2714", "\u2718", "\u2298", "\u2298"]
    image = ax.images[0]
    colours = [[mc.to_hex(image.cmap(image.norm(v))) for v in row] for row in image.get_array()]
    fills = {s: v["fill"].lower() for s, v in STATE_STYLE.items()}
    assert colours == [[fills["ok"], fills["pull failed"]], [fills["push failed"], fills["push failed"]]]
    assert len(set(fills.values())) == 3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["\u2714 pulled", "\u2718 pull failed", "\u2298 push failed (nothing to pull)"]
    # Colour-blind safe: every pair of states stays apart as protanopes and deuteranopes see them
    # (Vienot, Brettel and Mollon 1999, on linear RGB). GitHub's green and red, used before, were 0.06-0.15 apart.
    def linear(hex_colour):
        c = np.array(mc.to_rgb(hex_colour))
        return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    seen_by = {"protanopia": np.array([[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]]),
               "deuteranopia": np.array([[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]])}
    for matrix in seen_by.values():
        sim = {s: matrix @ linear(f) for s, f in fills.items()}
        for a, b in (("ok", "pull failed"), ("ok", "push failed"), ("pull failed", "push failed")):
            assert np.linalg.norm(sim[a] - sim[b]) > 0.18, (a, b)
        before = np.linalg.norm(matrix @ linear("#1a7f37") - matrix @ linear("#cf222e"))
        assert before < 0.18
    render(fig)


def test_boolean_heatmap_has_a_two_entry_legend():
    pivot = pd.DataFrame([[True, False]], index=pd.Index(["2.3.0"], name="registry"),
                         columns=pd.Index(["tag", "digest"], name="by"))
    fig, ax = plt.subplots()
    plot_matrix(ax, pivot)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["\u2714 pulled", "\u2718 pull failed"]
    render(fig)


def test_sequence_labels_stay_between_the_lifelines_and_the_client_verdict_is_drawn():
    """Lesson 04: long paths ran across the lifelines, and a failed pull by digest looked like a green 200."""
    import matplotlib.colors as mc

    import regcompat as rc
    reg = rc.Registry("2.3.1")
    push = rc.Engine("1.10", reg).push(rc.sample_image(), "demo/app:latest")
    failed = rc.Engine("1.9", reg).pull("demo/app@" + push.digest)
    assert not failed.ok
    fig, axes = plt.subplots(1, 2, figsize=(12, 2.8))
    ax = axes[1]
    plot_sequence(ax, failed.exchanges, client="Docker 1.9", server="registry 2.3.1", manifests_only=True,
                  outcome=failed)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    left_px, right_px = to_px((0, 0))[0], to_px((1, 0))[0]
    labels = [t for t in ax.texts if t.get_text().startswith(("GET", "200"))]
    assert len(labels) == 2
    for text in labels:
        box = text.get_window_extent(renderer)
        assert left_px <= box.x0 and box.x1 <= right_px, text.get_text()
    response = next(t for t in labels if t.get_text().startswith("200"))
    assert mc.to_hex(response.get_color()) != "#1a7f37", "a 200 is what the registry said, not a success"
    verdict = [t for t in ax.texts if "the client failed" in t.get_text()]
    assert len(verdict) == 1 and mc.to_hex(verdict[0].get_color()) == "#cf222e"
    assert "unsupported schema version 2" in verdict[0].get_text().replace("\n", " ")
    plot_sequence(axes[0], failed.exchanges, outcome=True)
    assert any("accepted" in t.get_text() for t in axes[0].texts)
    render(fig)
