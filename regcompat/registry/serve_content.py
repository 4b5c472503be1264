"""A blob's bytes as Go's ``http.ServeContent`` answers for them: the blob GET
of every distribution release hands the blob to it, after setting ``ETag``,
``Cache-Control``, ``Docker-Content-Digest``, ``Content-Type`` and
``Content-Length`` (registry/storage/blobserver.go).

Modelled, in Go's order (net/http/fs.go): ``If-Match`` (strong comparison,
``*`` matches; no match: 412), ``If-None-Match`` (weak comparison, ``*``
matches: 304 for GET and HEAD, 412 otherwise), ``If-Range`` (an ETag that
does not match, or a date, since the blob has no modification time, drops the
Range), then ``Range``: several ranges separated by commas, suffix ranges,
ranges that start past the end skipped (none left: 416 with
``Content-Range: bytes */<size>``), ranges adding up to more than the blob
ignored, one range: 206 with ``Content-Range``; several: 206
``multipart/byteranges``, each part with its ``Content-Range`` and
``Content-Type`` (recorded on 2.4.1 to 2.8.2). 3.0 answers several ranges
with the whole blob (recorded; the cause is not confirmed), the
``multi_range`` field of the behaviour table.

Go writes a random 30-byte boundary; the model derives it from the blob and
the Range header, so runs repeat. A 412 or 416 keeps the headers set before
``ServeContent``; on a GET the model sends its own short body's length where
2.8.2 keeps the blob's ``Content-Length`` (seen against the real build, see
``unsatisfiable`` and ``_failed``).

Left out: ``Last-Modified``, ``If-Modified-Since`` and ``If-Unmodified-Since``
(the blob has no modification time, so Go skips them).
"""

from __future__ import annotations

import hashlib

from ..messages import Request, Response
from .responses import API_VERSION, respond

__all__ = ["serve_blob", "RangeError", "parse_ranges"]

_TEXT = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]


class RangeError(ValueError):
    """A Range header Go refuses; ``overlap`` when it parsed but no range meets the blob."""

    def __init__(self, message: str, overlap: bool = False):
        super().__init__(message)
        self.overlap = overlap


def _trim(text: str) -> str:
    return text.strip(" \t\r\n")


def _int(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64): an optional sign and digits."""
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return None
    return int(text)


def parse_ranges(header: str, size: int) -> list[tuple[int, int]]:
    """Go's ``parseRange``: (start, length) pairs; RangeError when refused."""
    if not header.startswith("bytes="):
        raise RangeError("invalid range")
    ranges: list[tuple[int, int]] = []
    no_overlap = False
    for item in header[len("bytes="):].split(","):
        item = _trim(item)
        if not item:
            continue
        first, sep, last = item.partition("-")
        if not sep:
            raise RangeError("invalid range")
        first, last = _trim(first), _trim(last)
        if not first:
            count = _int(last) if last and last[0] != "-" else None
            if count is None or count < 0:
                raise RangeError("invalid range")
            count = min(count, size)
            ranges.append((size - count, count))
            continue
        start = _int(first)
        if start is None or start < 0:
            raise RangeError("invalid range")
        if start >= size:
            no_overlap = True
            continue
        if not last:
            ranges.append((start, size - start))
            continue
        end = _int(last)
        if end is None or start > end:
            raise RangeError("invalid range")
        ranges.append((start, min(end, size - 1) - start + 1))
    if no_overlap and not ranges:
        raise RangeError("invalid range: failed to overlap", overlap=True)
    return ranges


def _scan_etag(text: str) -> tuple[str, str]:
    """Go's ``scanETag``: (etag, rest), or ("", "") when ``text`` does not start with one."""
    start = 2 if text.startswith("W/") else 0
    if len(text) - start < 2 or text[start] != '"':
        return "", ""
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == '"':
            return text[:index + 1], text[index + 1:]
        if not (char == "\x21" or "\x23" <= char <= "\x7e" or char >= "\x80"):
            return "", ""
    return "", ""


def _matches(header: str, etag: str, *, strong: bool) -> bool | None:
    """Whether an If-Match (``strong``) or If-None-Match list names ``etag``; None when absent."""
    if not header:
        return None
    rest = header
    while True:
        rest = _trim(rest)
        if not rest:
            return False
        if rest[0] == ",":
            rest = rest[1:]
            continue
        if rest[0] == "*":
            return True
        tag, rest = _scan_etag(rest)
        if not tag:
            return False
        if strong:
            if not tag.startswith("W/") and not etag.startswith("W/") and tag == etag:
                return True
        elif tag.removeprefix("W/") == etag.removeprefix("W/"):
            return True


def _range_header(request: Request, etag: str) -> str:
    """The Range to honour once If-Range is checked (Go's ``checkIfRange``)."""
    header = request.headers.get("Range") or ""
    if_range = request.headers.get("If-Range")
    if not header or not if_range:
        return header
    tag, _ = _scan_etag(if_range)
    if tag and not tag.startswith("W/") and tag == etag:
        return header
    return ""  # another ETag, or a date: the blob has no modification time


def serve_blob(request: Request, data: bytes, headers: list[tuple[str, str]], *,
               multi_range: bool = True) -> Response:
    """Answer a blob GET or HEAD; ``headers`` carry Cache-Control, Docker-Content-Digest and Etag."""
    etag = dict(headers).get("Etag", "")
    size = len(data)
    if _matches(request.headers.get("If-Match") or "", etag, strong=True) is False:
        return _failed(request, headers, size)
    if _matches(request.headers.get("If-None-Match") or "", etag, strong=False):
        if request.method in ("GET", "HEAD"):
            return Response(304, [API_VERSION, *headers])
        return _failed(request, headers, size)
    header = _range_header(request, etag)
    try:
        ranges = parse_ranges(header, size) if header else []
    except RangeError as err:
        return unsatisfiable(headers, size, err, head=request.method == "HEAD")
    if sum(length for _, length in ranges) > size or (len(ranges) > 1 and not multi_range):
        ranges = []
    body_headers = [("Accept-Ranges", "bytes"), ("Content-Type", "application/octet-stream"), *headers]
    head = request.method == "HEAD"
    if len(ranges) == 1:
        start, length = ranges[0]
        part = data[start:start + length]
        body_headers.append(("Content-Range", f"bytes {start}-{start + length - 1}/{size}"))
        return respond(206, body_headers, b"" if head else part, length=len(part))
    if ranges:
        boundary = hashlib.sha256(f"{etag} {header}".encode()).hexdigest()[:60]
        body = _multipart(data, ranges, boundary)
        body_headers[1] = ("Content-Type", f"multipart/byteranges; boundary={boundary}")
        return respond(206, body_headers, b"" if head else body, length=len(body))
    return respond(200, body_headers, b"" if head else data, length=size)


def _failed(request: Request, headers: list, size: int) -> Response:
    """Go's 412: a status and no body, under the headers set before ``ServeContent``.
    2.8.2 keeps the blob's ``Content-Length`` (seen against the real build): a HEAD
    says so; on a GET, where that length would announce bytes that never come, the
    model sends 0."""
    return respond(412, [*headers, ("Content-Type", "application/octet-stream")], b"",
                   length=size if request.method == "HEAD" else 0)


def _multipart(data: bytes, ranges: list[tuple[int, int]], boundary: str) -> bytes:
    """Go's ``multipart.Writer``: parts with sorted MIME headers, CRLF line ends."""
    size = len(data)
    out = bytearray()
    for index, (start, length) in enumerate(ranges):
        out += b"\r\n" if index else b""
        out += (f"--{boundary}\r\nContent-Range: bytes {start}-{start + length - 1}/{size}\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode()
        out += data[start:start + length]
    out += f"\r\n--{boundary}--\r\n".encode()
    return bytes(out)


def unsatisfiable(headers: list, size: int, err: RangeError, *, head: bool = False) -> Response:
    """Go's 416. Seen against 2.8.2, which also keeps the blob's Content-Length on this short
    text body (so clients wait for bytes that never come): a HEAD says so too; on a GET the
    model sends the body's length."""
    extra = [("Content-Range", f"bytes */{size}")] if err.overlap else []
    return respond(416, [*headers, *extra, *_TEXT], f"{err}\n".encode(), length=size if head else None)
