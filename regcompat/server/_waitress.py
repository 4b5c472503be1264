"""Three waitress hooks that make it handle connections the way Go's net/http does.

1. Header lines as sent. waitress folds repeated headers into one
   comma-separated value; Go keeps one value per line, and registry 2.3
   compares each ``Accept`` line on its own (2.5 and later split commas, so
   the fold only matters before 2.5). The parser keeps the lines in order and
   the task puts them in the environ as ``regcompat.raw_headers``.
   ``Transfer-Encoding`` is dropped from that list, as Go moves it out of
   ``Request.Header`` (the body arrives de-chunked either way).
2. A body cut short. When the client shuts its sending side before the body
   is complete, waitress would close the connection without an answer; Go's
   server instead hands the partial body to the handler, which answers
   ``499``. The channel does the same: the incomplete request is dispatched
   with ``regcompat.body_truncated`` set, its answer is written, and the
   connection is closed. A client that vanishes outright gets nothing, as
   with Go, and the model never sees a partial request either way.

3. A TLS handshake sent to the plain-HTTP port (clients such as skopeo try
   HTTPS first when told ``--tls-verify=false``). waitress waits for a blank
   line that never comes, so the client hangs until its own timeout; Go's
   server answers ``400 Bad Request`` and closes at once (its request-line
   parser fails), the client falls back to plain HTTP. The channel does the
   same when the first bytes of a connection are a TLS record header.

Written against waitress 3.0's ``HTTPRequestParser``, ``WSGITask`` and
``HTTPChannel`` (subclassed, never patched).
"""

from __future__ import annotations

import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.rfc7230 import HEADER_FIELD_RE
from waitress.task import WSGITask

__all__ = ["RawHeaderChannel"]


def _header_lines(block: bytes) -> list[bytes]:
    """Header lines of ``block`` (after the request line), folds joined."""
    lines: list[bytes] = []
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += b" " + line.strip(b" \t")
        elif line:
            lines.append(line)
    return lines


class _Parser(HTTPRequestParser):
    raw_headers: tuple[tuple[str, str], ...] = ()
    truncated = False

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        block = header_plus[header_plus.find(b"\r\n") + 2:]
        pairs = []
        for line in _header_lines(block):
            match = HEADER_FIELD_RE.match(line)
            if not match:  # pragma: no cover - super() already rejected it
                continue
            name, value = match.group("name", "value")
            if name.lower() == b"transfer-encoding":
                continue
            pairs.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
        self.raw_headers = tuple(pairs)


class _Task(WSGITask):
    def get_environment(self) -> dict:
        environ = super().get_environment()
        environ["regcompat.raw_headers"] = getattr(self.request, "raw_headers", None)
        environ["regcompat.body_truncated"] = getattr(self.request, "truncated", False)
        return environ


#: What Go's server writes when a request line does not parse, e.g. a TLS ClientHello.
GO_BAD_REQUEST = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  b"Connection: close\r\n\r\n400 Bad Request")


class RawHeaderChannel(HTTPChannel):
    """waitress channel with the hooks above; set as the server's ``channel_class``."""

    parser_class = _Parser
    task_class = _Task
    _eof = False
    _started = False

    def received(self, data: bytes) -> bool:
        if not self._started and data:
            self._started = True
            if data[:2] == b"\x16\x03":  # a TLS handshake on a plain-HTTP port
                self._refuse(GO_BAD_REQUEST)
                return False
        return super().received(data)

    def _refuse(self, answer: bytes) -> None:
        """Answer and close at once, as Go does for an unparseable request line."""
        with self.outbuf_lock:
            self.outbufs[-1].append(answer)
            self.current_outbuf_count += len(answer)
            self.total_outbufs_len += len(answer)
        self.close_when_flushed = True

    def readable(self) -> bool:
        return not self._eof and super().readable()

    def handle_read(self) -> None:
        try:
            data = self.socket.recv(self.adj.recv_bytes)
        except OSError:
            self.handle_close()
            return
        if data:
            self.last_activity = time.time()
            self.received(data)
        elif not self._dispatch_truncated():
            self.handle_close()

    def _dispatch_truncated(self) -> bool:
        """On EOF inside a body, hand the partial request over (see module doc)."""
        with self.requests_lock:
            request = self.request
            if (request is None or not getattr(request, "headers_finished", False)
                    or request.completed or request.error is not None):
                return False
            request.truncated = True
            request.completed = True
            request.connection_close = True
            self.request = None
            self._eof = True
            self.requests.append(request)
            if len(self.requests) == 1:
                self.server.add_task(self)
        return True
