"""Raw-socket helpers for fault tests: send exact bytes, read one answer."""

from __future__ import annotations

import re
import socket

__all__ = ["body_of", "exchange", "port_of", "status_of", "tls_client_hello"]


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def exchange(port: int, data: bytes, *, half_close: bool = False, timeout: float = 5.0) -> bytes:
    """Send ``data``, optionally shut our sending side, read one response (or until EOF)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (e.g. 431) and closed: read what it sent
        out = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                out += chunk
                rest = out
                while rest.startswith(b"HTTP/1.1 100 ") and b"\r\n\r\n" in rest:
                    rest = rest.partition(b"\r\n\r\n")[2]  # skip interim 100 Continue answers
                head, sep, body = rest.partition(b"\r\n\r\n")
                if sep:
                    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                    if match and len(body) >= int(match.group(1)):
                        break
                    if re.search(rb"(?im)^transfer-encoding:\s*chunked", head) and body.endswith(b"0\r\n\r\n"):
                        break
        except (TimeoutError, ConnectionResetError, BrokenPipeError):
            pass
        return out


def status_of(answer: bytes) -> int | None:
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(match.group(1)) if match else None


def body_of(answer: bytes) -> bytes:
    """The body of the final answer in ``answer``, de-chunked if it was sent chunked."""
    rest = answer
    while rest.startswith(b"HTTP/1.1 100 ") and b"\r\n\r\n" in rest:
        rest = rest.partition(b"\r\n\r\n")[2]
    head, _, body = rest.partition(b"\r\n\r\n")
    if not re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
        return body
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2:]
    return out


def tls_client_hello() -> bytes:
    """The first bytes a TLS client sends (a real ClientHello from Python's ssl module)."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def head_of(answer: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The status line and the header lines (name lowercased) of the final answer."""
    rest = answer
    while rest.startswith(b"HTTP/1.1 100 ") and b"\r\n\r\n" in rest:
        rest = rest.partition(b"\r\n\r\n")[2]
    lines = rest.partition(b"\r\n\r\n")[0].split(b"\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers.append((name.strip().lower(), value.strip()))
    return lines[0], headers


def comparable(answer: bytes) -> tuple:
    """Status line, sorted headers without ``Date``, body: what two servers should agree on."""
    status, headers = head_of(answer)
    return status, sorted(h for h in headers if h[0] != b"date"), body_of(answer)


def closes_after(port: int, data: bytes, timeout: float = 10.0) -> tuple[bytes, bool]:
    """Send ``data`` (keeping our side open); the answer, and whether the server then closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        out = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return out, True
                out += chunk
        except (TimeoutError, socket.timeout):
            return out, False
        except ConnectionResetError:
            return out, True
