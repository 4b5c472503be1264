"""libtrust "pretty JWS" signatures, as Docker and distribution sign schema1 manifests.

Modelled after docker/libtrust jsonsign.go (format reference section 3):

  * :func:`sign` = ``NewJSONSignature`` + ``Sign`` + ``PrettySignature``: the
    protected header ``{"formatLength":..,"formatTail":..,"time":..}``, the
    signing input ``protected + "." + b64url(payload)``, ES256 ``r || s``, the
    signature block appended after ``payload[:formatLength]`` with the payload's
    own indentation. ECDSA here is deterministic (RFC 6979) so documents are
    reproducible; libtrust used random nonces, which verifiers cannot tell apart;
  * :func:`parse_pretty` = ``ParsePrettySignature``: canonical payload =
    ``document[:formatLength] + formatTail``, with libtrust's error texts;
  * :func:`pretty_signature`: re-attach stored signatures to a payload
    (distribution 2.3/2.4 serving a pushed schema1 manifest), sorted by KeyID;
  * :func:`verify` = ``Verify``: every signature checked (keys in :mod:`.jwk`);
    the ``time`` field is never checked, and an empty list verifies nothing.

Keys, KeyIDs and base64url live in :mod:`regcompat.manifest.jwk` and are
re-exported here (``libtrust.TrustKey``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from regcompat import gojson
from regcompat.manifest._decode import Fields, GoNumber, GoObject, ManifestError, decode, go_string
from regcompat.manifest.jwk import TrustKey, b64url_decode, b64url_encode, key_id, public_key, verify_signature

__all__ = ["TrustKey", "sign", "verify", "parse_pretty", "pretty_signature", "key_id", "format_split",
           "b64url_encode", "b64url_decode"]

_JSON_SPACE = b" \t\n\r"
_FAST = json.JSONDecoder()


def format_split(payload: bytes) -> tuple[int, bytes]:
    """NewJSONSignature's (formatLength, formatTail); ManifestError unless a JSON object."""
    try:  # fast path for well-formed payloads; the Go-faithful decoder reports errors
        is_object = isinstance(_FAST.decode(payload.decode("utf-8")), dict) and b"NaN" not in payload \
            and b"Infinity" not in payload
    except (ValueError, RecursionError):
        is_object = False
    if not is_object:
        value = decode(payload)
        if not isinstance(value, GoObject):
            kind = "array" if isinstance(value, list) else "string" if isinstance(value, str) else \
                "bool" if isinstance(value, bool) else "number" if isinstance(value, (int, GoNumber)) else "null"
            raise ManifestError("json: cannot unmarshal %s into Go value of type map[string]interface {}" % kind)
    # After a valid JSON object only JSON whitespace can follow, so the last
    # non-space byte is its closing brace (libtrust uses unicode.IsSpace).
    close = len(payload.rstrip(_JSON_SPACE)) - 1
    last = len(payload[:close].rstrip(_JSON_SPACE)) - 1
    if last < 0 or payload[last:last + 1] == b",":
        raise ManifestError("invalid json content")
    return last + 1, payload[last + 1:]


def _detect_indent(payload: bytes) -> str:
    if len(payload) > 2 and payload[0:1] == b"{" and payload[1:2] == b"\n":
        quote = payload.find(b'"', 1)
        if quote > 1:
            return payload[2:quote].decode("utf-8", "replace")
    return ""


def _utc_rfc3339(now: datetime) -> str:
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(payload: bytes, key: TrustKey, *, now: datetime) -> bytes:
    """Sign ``payload`` and return the libtrust pretty-JWS document (deterministic)."""
    payload = bytes(payload)
    format_length, tail = format_split(payload)
    protected = b64url_encode(gojson.marshal({"formatLength": format_length,
                                              "formatTail": b64url_encode(tail),
                                              "time": _utc_rfc3339(now)}))
    signing_input = (protected + "." + b64url_encode(payload)).encode("ascii")
    signature = {"header": {"jwk": key.public_jwk(), "alg": "ES256"},
                 "signature": b64url_encode(key.sign_bytes(signing_input)),
                 "protected": protected}
    return _render(payload, format_length, [signature])


def pretty_signature(payload: bytes, signatures: list[dict]) -> bytes:
    """Re-attach stored signatures to a canonical payload (``NewJSONSignature`` + ``PrettySignature``)."""
    if not signatures:
        raise ManifestError("no signatures")
    format_length, _ = format_split(bytes(payload))
    return _render(bytes(payload), format_length, [_signature_json(s) for s in signatures])


def _render(payload: bytes, format_length: int, signatures: list[dict]) -> bytes:
    indent = _detect_indent(payload)
    ordered = sorted(signatures, key=lambda s: (s["header"].get("jwk", {}).get("kid", ""), s["signature"]))
    if indent:
        block = (b"\n" + indent.encode() + b'"signatures": ' + gojson.marshal_indent(ordered, indent, indent)
                 + b"\n")
    else:
        block = b'"signatures":' + gojson.marshal(ordered)
    return payload[:format_length] + b"," + block + b"}"


def _plain(value: object) -> object:
    """A decoded JSON value made encodable again (Go re-marshals an interface{} map)."""
    if isinstance(value, str):
        return go_string(value)
    if isinstance(value, GoNumber):
        return gojson.RawJSON(value.literal.encode())
    if isinstance(value, dict):
        return {go_string(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _signature_json(sig: dict) -> dict:
    """libtrust's jsSignature layout: header{jwk?, alg, x5c?}, signature, protected?."""
    header = sig.get("header") or {}
    out_header: dict = {}
    jwk = header.get("jwk")
    if jwk:
        full = dict(_plain(jwk))  # type: ignore[arg-type]
        full["kid"] = public_key(jwk)[1]  # MarshalJSON writes the computed KeyID
        out_header["jwk"] = dict(sorted(full.items()))
    out_header["alg"] = header.get("alg", "")
    if header.get("x5c"):
        out_header["x5c"] = list(header["x5c"])
    out: dict = {"header": out_header, "signature": sig.get("signature", "")}
    if sig.get("protected"):
        out["protected"] = sig["protected"]
    return out


def _field(obj: dict, name: str) -> object:
    """A struct field as Go's decoder fills it: exact or case-insensitive key, the last one wins."""
    return Fields(obj, "").raw(name) if isinstance(obj, GoObject) else obj.get(name)


def _type_error(value: object, struct: str, field: str, gotype: str) -> ManifestError:
    return ManifestError("error unmarshalling signatures: json: cannot unmarshal %s into Go struct field "
                         "%s.%s of type %s" % (_kind(value), struct, field, gotype))


def _str_field(obj: dict, name: str, struct: str = "jsParsedSignature", path: str = "") -> str:
    value = _field(obj, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _type_error(value, struct, path + name, "string")
    return go_string(value)


def _chain(value: object) -> list[str]:
    """``x5c`` as Go decodes it into ``[]string``."""
    if not isinstance(value, list):
        raise _type_error(value, "jsParsedHeader", "header.x5c", "[]string")
    for item in value:
        if item is not None and not isinstance(item, str):
            raise _type_error(item, "jsParsedHeader", "header.x5c", "string")
    return ["" if item is None else go_string(item) for item in value]


def _kind(value: object) -> str:
    return ("array" if isinstance(value, list) else "object" if isinstance(value, dict) else "string"
            if isinstance(value, str) else "bool" if isinstance(value, bool) else "number")


def _decode_b64(text: str, prefix: str) -> bytes:
    try:
        return b64url_decode(text)
    except ManifestError as err:
        raise ManifestError(prefix + str(err)) from None


def _format_of(block: dict) -> tuple[int, bytes, str]:
    """(formatLength, formatTail, protected) of one signature block."""
    protected = _str_field(block, "protected")
    header_bytes = _decode_b64(protected, "base64 decode error: ")
    try:
        header = decode(header_bytes)
    except ManifestError as err:
        raise ManifestError("error unmarshalling protected header: %s" % err) from None
    if not isinstance(header, dict):
        raise ManifestError("error unmarshalling protected header: json: cannot unmarshal %s into Go value "
                            "of type map[string]interface {}" % _kind(header))
    length = header.get("formatLength")
    if isinstance(length, GoNumber):  # readIntFromMap: a float64 converted with int()
        try:
            length = int(float(length.literal))
        except (ValueError, OverflowError):
            length = None
    if isinstance(length, bool) or not isinstance(length, int):
        raise ManifestError("missing formatted length")
    tail_text = header.get("formatTail")
    if not isinstance(tail_text, str):
        raise ManifestError("missing formatted tail")
    return length, _decode_b64(tail_text, "base64 decode error on tail: "), protected


def parse_pretty(document: bytes) -> tuple[bytes, list[dict]]:
    """ParsePrettySignature: (canonical payload, signatures) or ManifestError with libtrust's text."""
    document = bytes(document)
    value = decode(document)
    if not isinstance(value, GoObject):
        raise ManifestError("error unmarshalling content: json: cannot unmarshal %s into Go value of type "
                            "map[string]json.RawMessage" % _kind(value))
    if "signatures" not in value:
        raise ManifestError("missing signature key")
    blocks = value["signatures"] if value["signatures"] is not None else []
    if not isinstance(blocks, list):
        raise ManifestError("error unmarshalling signatures: json: cannot unmarshal %s into Go value of type "
                            "[]libtrust.jsParsedSignature" % _kind(blocks))
    format_length, format_tail, signatures = 0, b"", []
    for block in blocks:
        block = GoObject([]) if block is None else block
        if not isinstance(block, dict):
            raise ManifestError("error unmarshalling signatures: json: cannot unmarshal %s into Go value of "
                                "type libtrust.jsParsedSignature" % _kind(block))
        length, tail, protected = _format_of(block)
        if format_length == 0:
            format_length = length
        elif format_length != length:
            raise ManifestError("conflicting format length")
        if len(format_tail) == 0:
            format_tail = tail
        elif format_tail != tail:
            raise ManifestError("conflicting format tail")
        head = _field(block, "header") or GoObject([])
        if not isinstance(head, dict):
            raise ManifestError("error unmarshalling signatures: json: cannot unmarshal %s into Go struct field "
                                "jsParsedSignature.header of type libtrust.jsParsedHeader" % _kind(head))
        out_header: dict = {}
        jwk = _field(head, "jwk")
        if jwk is None and isinstance(head, GoObject) and Fields(head, "").present("jwk"):
            jwk = GoObject([])  # null decodes into a non-nil json.RawMessage("null"): an empty JWK
        if jwk is not None:
            try:
                public_key(jwk)
            except ManifestError as err:
                raise ManifestError("error unmarshalling public key: %s" % err) from None
            out_header["jwk"] = jwk
        out_header["alg"] = _str_field(head, "alg", "jsParsedHeader", "header.")
        chain = _field(head, "x5c")
        if chain is not None:
            out_header["x5c"] = _chain(chain)
        signatures.append({"header": out_header, "signature": _str_field(block, "signature"),
                           "protected": protected})
    if format_length > len(document) or format_length < 0:
        raise ManifestError("invalid format length")
    return document[:format_length] + format_tail, signatures


def verify(document: bytes) -> list[str]:
    """libtrust ``Verify``: check every signature; returns the signers' KeyIDs (raises ManifestError)."""
    payload, signatures = parse_pretty(document)
    encoded_payload = b64url_encode(payload)
    return [verify_signature(sig["header"], sig["signature"],
                             (sig["protected"] + "." + encoded_payload).encode("ascii"))
            for sig in signatures]
