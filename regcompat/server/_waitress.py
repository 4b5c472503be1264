"""waitress hooks that make it handle requests and connections the way Go's net/http does.

1. Header lines as sent. waitress folds repeated headers into one
   comma-separated value; Go keeps one value per line, and registry 2.3
   compares each ``Accept`` line on its own (2.5 and later split commas, so
   the fold only matters before 2.5). The parser keeps the lines in order,
   their bytes as UTF-8 with invalid bytes kept (see gohttp.wire_text), and
   the task puts them in the environ as ``regcompat.raw_headers``.
   ``Transfer-Encoding`` is dropped from that list, as Go moves it out of
   ``Request.Header``, and so is ``Content-Length`` when the body is chunked
   (Go's ``fixLength`` deletes it: chunked framing wins over a length).
2. Line endings. Go's reader ends a header line at ``\\n`` with or without
   ``\\r``; waitress only knows ``\\r\\n\\r\\n`` and would wait for ever on a
   request sent with bare LFs. The parser rewrites the header block's line
   endings to CRLF before waitress parses it.
3. Go's refusals (gohttp.go_request_head: a bad request line or target,
   duplicate or missing ``Host``, conflicting ``Content-Length``, unsupported
   ``Transfer-Encoding``, HTTP/2 on this port...): decided on the raw head
   before waitress parses it, answered with Go's raw bytes without reading
   the body, and the connection is closed, as Go does.
4. End of input (the client shuts its sending side, FIN):
   * inside a body: Go hands the partial body to the handler, which answers
     ``499``; the channel dispatches the incomplete request with
     ``regcompat.body_truncated`` set, writes the answer and closes;
   * inside a header block: Go answers ``400 Bad Request`` and closes;
   * after complete requests: they are answered, then the connection closes;
   * between requests: the connection closes at once.
   A connection is never left open once its client has finished sending;
   earlier versions of this hook kept such channels for waitress's whole
   channel timeout, and ~100 cut uploads exhausted the connection limit.
5. A TLS handshake sent to the plain-HTTP port (clients such as skopeo try
   HTTPS first when told ``--tls-verify=false``): Go answers
   ``400 Bad Request`` at once (its request-line parser fails), the client
   falls back to plain HTTP. The channel does the same.
6. Answers without ``Content-Length``: waitress closes the connection after
   a chunked answer (and announces chunked framing on HEAD, gorilla's
   redirects); Go keeps the connection, and writes a HEAD answer's headers as
   they are.

Every connection's fate is counted in the server's ``ConnectionStats``
(stats.py). Written against waitress 3.0's ``HTTPRequestParser``,
``WSGITask`` and ``HTTPChannel`` (subclassed, never patched).
"""

from __future__ import annotations

import re
import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.rfc7230 import HEADER_FIELD_RE
from waitress.task import WSGITask

from .gohttp import go_request_head, header_lines, refusal_bytes, wire_text
from .stats import ConnectionStats

__all__ = ["RawHeaderChannel"]

_BLANK_LINE = re.compile(rb"\n\r?\n")


def _crlf(block: bytes) -> bytes:
    """``block`` with every line ending (``\\n`` or ``\\r\\n``) written as CRLF."""
    return b"\r\n".join(line[:-1] if line.endswith(b"\r") else line for line in block.split(b"\n"))


class _Parser(HTTPRequestParser):
    raw_headers: tuple[tuple[str, str], ...] = ()
    truncated = False
    go_refusal: bytes | None = None
    _held = b""

    def received(self, data: bytes) -> int:
        if self.completed or self.headers_finished or self.body_rcv is not None:
            return super().received(data)
        held = self._held + data
        match = _BLANK_LINE.search(held, max(0, len(self._held) - 2))
        if match is None:
            self._held = b""
            if len(held) >= self.adj.max_request_header_size:
                super().received(held)  # waitress answers 431
            else:
                self._held = held
            return len(data)
        self._held = b""
        answer, head = go_request_head(_crlf(held[:match.end()]))
        if answer is not None:  # Go refuses it: nothing more is parsed or read
            self.go_refusal = answer
            self.headers_finished = self.completed = True
        else:
            super().received(head)  # consumes exactly the header block
        return match.end() - (len(held) - len(data))

    @property
    def holds_partial_header(self) -> bool:
        return bool(self._held.strip())

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        block = header_plus[header_plus.find(b"\r\n") + 2:]
        pairs = []
        for line in header_lines(block):
            match = HEADER_FIELD_RE.match(line)
            if not match:  # pragma: no cover - super() already rejected it
                continue
            name, value = match.group("name", "value")
            lname = name.lower()
            if lname == b"transfer-encoding" or (lname == b"content-length" and self.chunked):
                continue
            pairs.append((name.decode("latin-1"), wire_text(value.strip(b" \t"))))
        self.raw_headers = tuple(pairs)


class _Task(WSGITask):
    def __init__(self, channel, request) -> None:
        super().__init__(channel, request)
        if getattr(request, "truncated", False):
            self.close_on_finish = True  # Go closes after the answer, without a Connection header

    def service(self) -> None:
        answer = getattr(self.request, "go_refusal", None)
        if answer is None:
            super().service()
            return
        self.channel.write_soon(answer)
        self.close_on_finish = True
        self.channel.stats.count("refused")

    def get_environment(self) -> dict:
        environ = super().get_environment()
        environ["regcompat.raw_headers"] = getattr(self.request, "raw_headers", None)
        environ["regcompat.body_truncated"] = getattr(self.request, "truncated", False)
        return environ

    def build_response_header(self) -> bytes:
        if (self.version != "1.1" or self.content_length is not None
                or any(k.lower() in ("content-length", "transfer-encoding") for k, _ in self.response_headers)):
            return super().build_response_header()
        closing = self.close_on_finish or self.request.headers.get("CONNECTION", "").lower() == "close"
        super().build_response_header()  # normalises names, adds Date, chunked framing and a close
        head = self.request.command == "HEAD"
        if head:  # no body follows: no framing at all
            self.chunked_response = False
        self.close_on_finish = closing  # Go keeps the connection after a chunked answer
        headers = [(k, v) for k, v in self.response_headers
                   if not (head and k == "Transfer-Encoding") and (closing or k != "Connection")]
        self.response_headers = headers
        lines = [f"HTTP/{self.version} {self.status}"] + [f"{k}: {v}" for k, v in sorted(headers, key=lambda h: h[0])]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class RawHeaderChannel(HTTPChannel):
    """waitress channel with the hooks above; set as the server's ``channel_class``."""

    parser_class = _Parser
    task_class = _Task
    _eof = False
    _started = False
    _counted_close = False
    _orderly = False

    def __init__(self, server, sock, addr, adj, map=None) -> None:
        self.stats: ConnectionStats = getattr(server, "regcompat_stats", None) or ConnectionStats()
        super().__init__(server, sock, addr, adj, map)
        self.stats.count("opened")

    def received(self, data: bytes) -> bool:
        if not self._started and data:
            self._started = True
            if data[:2] == b"\x16\x03":  # a TLS handshake on a plain-HTTP port
                self._refuse(refusal_bytes(), "refused")
                return False
        return super().received(data)

    def _refuse(self, answer: bytes, why: str) -> None:
        """Answer and close at once, as Go does for an unparseable request."""
        with self.outbuf_lock:
            self.outbufs[-1].append(answer)
            self.current_outbuf_count += len(answer)
            self.total_outbufs_len += len(answer)
        self.close_when_flushed = self._orderly = True
        self.stats.count(why)

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
        else:
            self._end_of_input()

    def _end_of_input(self) -> None:
        """The client shut its sending side: answer what Go would, then close (module doc, 4)."""
        with self.requests_lock:
            self._eof = True
            request = self.request
            if (request is not None and request.headers_finished and not request.completed
                    and request.error is None):
                request.truncated = request.completed = True
                self.request = None
                self.requests.append(request)
                if len(self.requests) == 1:
                    self.server.add_task(self)
                self.stats.count("cut")
                return
            partial = request is not None and not request.completed and request.holds_partial_header
            busy = bool(self.requests)
        if busy:
            return  # service() closes once the requests in hand are answered
        if partial:
            self._refuse(refusal_bytes(), "cut")
        elif self.total_outbufs_len:
            self.close_when_flushed = True
        else:
            self.handle_close()

    def service(self) -> None:
        super().service()
        if self.close_when_flushed:
            self._orderly = True  # closing after an answer (Connection: close, HTTP/1.0, a refusal)
        if self._eof:
            with self.requests_lock:
                if not self.requests:
                    self.close_when_flushed = True
            try:
                self.server.pull_trigger()
            except OSError:  # the server is shutting down
                pass

    def handle_close(self) -> None:
        if not self._counted_close:
            self._counted_close = True
            if self.will_close and time.time() - self.last_activity >= self.adj.channel_timeout:
                self.stats.count("timed_out")
            elif not (self._eof or self._orderly):
                self.stats.count("reset")  # the client vanished: a reset, or a write that failed
            self.stats.count("closed")
        super().handle_close()
