"""Fingerprints: one palette colour per hex digit, read row by row."""

import pytest

from regcompat.digest import from_bytes
from regcompat.notebook.fingerprint import PALETTE, fingerprint_cells, fingerprint_html


def test_each_cell_is_the_palette_colour_of_its_hex_digit():
    d = from_bytes(b"hello")
    cells = fingerprint_cells(d)
    flat = [cell for row in cells for cell in row]
    assert "".join(digit for digit, _ in flat) == d.encoded[:16]
    assert all(colour == PALETTE[int(digit, 16)] for digit, colour in flat)
    assert len(cells) == 4 and all(len(r) == 4 for r in cells)


def test_a_one_byte_change_gives_a_visibly_different_grid():
    assert fingerprint_cells(from_bytes(b"hello")) != fingerprint_cells(from_bytes(b"hellp"))


def test_the_palette_has_sixteen_distinct_colours():
    assert len(set(PALETTE)) == 16


def test_full_grid_and_bad_sizes():
    d = from_bytes(b"x")
    assert len(fingerprint_cells(d, 8)) == 8
    with pytest.raises(ValueError, match="needs 81 hex digits"):
        fingerprint_cells(d, 9)
    with pytest.raises(ValueError, match="not a hexadecimal digest"):
        fingerprint_cells("sha256:" + "z" * 64)


def test_html_carries_the_full_digest_and_label():
    d = from_bytes(b"x")
    out = fingerprint_html(d, label="S <stored>")
    assert str(d) in out and "S &lt;stored&gt;" in out and out.count("<td") == 16
