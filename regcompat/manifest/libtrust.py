"""libtrust "pretty JWS" signatures, as Docker and distribution sign schema1 manifests.

Modelled after docker/libtrust (jsonsign.go, ec_key.go, util.go; format
reference section 3):

  * :func:`sign` = ``NewJSONSignature`` + ``Sign`` + ``PrettySignature``: the
    protected header ``{"formatLength":..,"formatTail":..,"time":..}``, the
    signing input ``protected + "." + b64url(payload)``, ES256 ``r || s``, the
    signature block appended after ``payload[:formatLength]`` with the payload's
    own indentation. ECDSA here is deterministic (RFC 6979) so documents are
    reproducible; libtrust used random nonces, which verifiers cannot tell apart;
  * :func:`parse_pretty` = ``ParsePrettySignature``: canonical payload =
    ``document[:formatLength] + formatTail``, with libtrust's error texts;
  * :func:`verify` = ``Verify``: EC (P-256/384/521) and RSA (RS256/384/512)
    keys from ``jwk`` or the leaf of ``x5c``; the ``time`` field is never checked;
  * :class:`TrustKey` = a libtrust EC P-256 private key with its ``KeyID``.

Left out: x5c chain validation (``VerifyChains``) and signing with RSA keys or
certificate chains.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from regcompat import gojson
from regcompat.manifest._decode import GoNumber, GoObject, ManifestError, decode, go_string

__all__ = ["TrustKey", "sign", "verify", "parse_pretty", "pretty_signature", "key_id",
           "format_split", "b64url_encode", "b64url_decode"]

_CURVES = {  # crv -> (cryptography curve, alg, hash, byte length, SPKI DER prefix before x||y)
    "P-256": (ec.SECP256R1(), "ES256", hashes.SHA256(), 32,
              bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004")),
    "P-384": (ec.SECP384R1(), "ES384", hashes.SHA384(), 48,
              bytes.fromhex("3076301006072a8648ce3d020106052b8104002203620004")),
    "P-521": (ec.SECP521R1(), "ES512", hashes.SHA512(), 66,
              bytes.fromhex("30819b301006072a8648ce3d020106052b8104002303818600" + "04")),
}
_RSA_HASHES = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def b64url_encode(data: bytes) -> str:
    """joseBase64UrlEncode: URL alphabet, padding stripped."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}\Z")


def b64url_decode(text: str) -> bytes:
    """joseBase64UrlDecode: drops newlines and spaces, re-pads, strict URL alphabet."""
    text = text.replace("\n", "").replace(" ", "")
    if len(text) % 4 == 1:
        raise ManifestError("illegal base64url string")
    text += "=" * (-len(text) % 4)
    if not _B64URL.match(text):
        raise ManifestError("illegal base64 data at input byte %d" % _first_bad(text))
    try:
        return base64.urlsafe_b64decode(text)
    except ValueError:
        raise ManifestError("illegal base64 data at input byte %d" % _first_bad(text)) from None


def _first_bad(text: str) -> int:
    for i, ch in enumerate(text):
        if not (ch.isascii() and (ch.isalnum() or ch in "-_")):
            return i
    return len(text)


def key_id(spki_der: bytes) -> str:
    """libtrust KeyID: SHA-256 of the SPKI DER, first 240 bits, base32, 12 groups of 4."""
    b32 = base64.b32encode(hashlib.sha256(spki_der).digest()[:30]).decode("ascii").rstrip("=")
    return ":".join(b32[i:i + 4] for i in range(0, len(b32), 4))


class TrustKey:
    """A libtrust EC P-256 private key (Docker's ``key.json``, the registry's signing key)."""

    __slots__ = ("_private", "key_id", "_jwk")

    def __init__(self, private_key: ec.EllipticCurvePrivateKey):
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("TrustKey models libtrust's P-256 keys only")
        self._private = private_key
        numbers = private_key.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        self.key_id = key_id(_CURVES["P-256"][4] + x + y)
        self._jwk = {"crv": "P-256", "kid": self.key_id, "kty": "EC",
                     "x": b64url_encode(x), "y": b64url_encode(y)}

    @classmethod
    def from_seed(cls, seed: str | bytes) -> "TrustKey":
        """A deterministic key: the private scalar is derived from SHA-256 of the seed."""
        data = seed.encode("utf-8") if isinstance(seed, str) else bytes(seed)
        scalar = int.from_bytes(hashlib.sha256(b"regcompat trust key\0" + data).digest(), "big")
        return cls(ec.derive_private_key(scalar % (_P256_ORDER - 1) + 1, ec.SECP256R1()))

    @classmethod
    def generate(cls) -> "TrustKey":
        """A fresh random key, like a registry generating one at start-up."""
        return cls.from_seed(os.urandom(32))

    def public_jwk(self) -> dict:
        """The JWK as libtrust marshals it (keys sorted: crv, kid, kty, x, y)."""
        return dict(self._jwk)

    def sign_bytes(self, data: bytes) -> bytes:
        """ES256 over ``data``: ``r || s``, 32 bytes each (deterministic nonce)."""
        der = self._private.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def __repr__(self) -> str:
        return f"<TrustKey {self.key_id}>"


_JSON_SPACE = b" \t\n\r"


def format_split(payload: bytes) -> tuple[int, bytes]:
    """NewJSONSignature's (formatLength, formatTail); raises for non-object payloads."""
    value = decode(payload)
    if not isinstance(value, GoObject):
        raise ManifestError("json: cannot unmarshal %s into Go value of type map[string]interface {}"
                            % ("array" if isinstance(value, list) else "string" if isinstance(value, str)
                               else "number" if isinstance(value, (int, GoNumber)) and not isinstance(value, bool)
                               else "bool"))
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
    """Re-attach stored signatures to a canonical payload (libtrust ``PrettySignature``)."""
    if not signatures:
        raise ManifestError("no signatures")
    format_length, _ = format_split(payload)
    return _render(payload, format_length, signatures)


def _render(payload: bytes, format_length: int, signatures: list[dict]) -> bytes:
    indent = _detect_indent(payload)
    ordered = sorted((_signature_json(s) for s in signatures),
                     key=lambda s: (s["header"].get("jwk", {}).get("kid", ""), s["signature"]))
    if indent:
        block = b'\n' + indent.encode() + b'"signatures": ' + gojson.marshal_indent(ordered, indent, indent) + b"\n"
    else:
        block = b'"signatures":' + gojson.marshal(ordered)
    return payload[:format_length] + b"," + block + b"}"


def _plain(value: object) -> object:
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
        full["kid"] = _public_key(jwk)[1]
        out_header["jwk"] = dict(sorted(full.items()))
    out_header["alg"] = header.get("alg", "")
    if header.get("x5c"):
        out_header["x5c"] = list(header["x5c"])
    out: dict = {"header": out_header, "signature": sig.get("signature", "")}
    if sig.get("protected"):
        out["protected"] = sig["protected"]
    return out


def _jwk_str(jwk: dict, name: str, what: str) -> str:
    if name not in jwk:
        raise ManifestError('%s: "%s" value not specified' % (what, name))
    value = jwk[name]
    if not isinstance(value, str):
        raise ManifestError('%s: "%s" value must be a string' % (what, name))
    return value


def _public_key(jwk: object) -> tuple[object, str, str]:
    """(cryptography key or None if not on the curve, KeyID, kind) from a JWK, as libtrust checks it."""
    if not isinstance(jwk, dict):
        raise ManifestError("error unmarshalling public key: decoding JWK Public Key JSON data: "
                            "json: cannot unmarshal into Go value of type map[string]interface {}\n")
    kty = _jwk_str(jwk, "kty", "JWK Public Key type")
    if kty == "EC":
        crv = _jwk_str(jwk, "crv", "JWK EC Public Key curve identifier")
        if crv not in _CURVES:
            raise ManifestError('JWK EC Public Key curve identifier not supported: "%s"\n' % crv)
        curve, _alg, _hash, size, prefix = _CURVES[crv]
        coords = []
        for axis in ("x", "y"):
            what = "JWK EC Public Key %s-coordinate" % axis
            raw = b64url_decode(_jwk_str(jwk, axis, what))
            if len(raw) != size:
                raise ManifestError("%s: invalid number of octets: got %d, should be %d" % (what, len(raw), size))
            coords.append(raw)
        kid = key_id(prefix + coords[0] + coords[1])
        try:
            key = ec.EllipticCurvePublicNumbers(int.from_bytes(coords[0], "big"),
                                                int.from_bytes(coords[1], "big"), curve).public_key()
        except ValueError:
            key = None
    elif kty == "RSA":
        n = int.from_bytes(b64url_decode(_jwk_str(jwk, "n", "JWK RSA Public Key modulus")), "big")
        e = int.from_bytes(b64url_decode(_jwk_str(jwk, "e", "JWK RSA Public Key exponent")), "big")
        try:
            key = rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError as err:
            raise ManifestError("JWK RSA Public Key: %s" % err) from None
        kid = key_id(key.public_bytes(serialization.Encoding.DER,
                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    else:
        raise ManifestError('JWK Public Key type not supported: "%s"\n' % kty)
    if "kid" in jwk:
        given = _jwk_str(jwk, "kid", "JWK %s Public Key ID" % kty)
        if given != kid:
            raise ManifestError("JWK %s Public Key ID does not match: %s" % (kty, given))
    return key, kid, kty


def _str_field(obj: dict, name: str) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ManifestError("error unmarshalling signatures: json: cannot unmarshal %s into Go struct "
                            "field jsParsedSignature.%s of type string" % (type(value).__name__, name))
    return value


def parse_pretty(document: bytes) -> tuple[bytes, list[dict]]:
    """ParsePrettySignature: (canonical payload, signatures) or ManifestError with libtrust's text."""
    value = decode(document)
    if not isinstance(value, GoObject):
        raise ManifestError("error unmarshalling content: json: cannot unmarshal %s into Go value of "
                            "type map[string]json.RawMessage" % ("array" if isinstance(value, list) else "string"
                                                                  if isinstance(value, str) else "number"))
    if "signatures" not in value:
        raise ManifestError("missing signature key")
    blocks = value["signatures"]
    if blocks is None:
        blocks = []
    if not isinstance(blocks, list):
        raise ManifestError("error unmarshalling signatures: json: cannot unmarshal object into Go value "
                            "of type []libtrust.jsParsedSignature")
    format_length, format_tail = 0, b""
    signatures = []
    for block in blocks:
        if block is None:
            block = GoObject([])
        if not isinstance(block, dict):
            raise ManifestError("error unmarshalling signatures: json: cannot unmarshal into Go value of "
                                "type libtrust.jsParsedSignature")
        protected = _str_field(block, "protected")
        header_bytes = b64url_decode_wrapped(protected, "base64 decode error: ")
        try:
            header = decode(header_bytes)
        except ManifestError as err:
            raise ManifestError("error unmarshalling protected header: %s" % err) from None
        if not isinstance(header, dict):
            raise ManifestError("error unmarshalling protected header: json: cannot unmarshal into Go "
                                "value of type map[string]interface {}")
        length = header.get("formatLength")
        if isinstance(length, GoNumber):
            length = int(float(length.literal))
        if isinstance(length, bool) or not isinstance(length, int):
            raise ManifestError("missing formatted length")
        tail_text = header.get("formatTail")
        if not isinstance(tail_text, str):
            raise ManifestError("missing formatted tail")
        tail = b64url_decode_wrapped(tail_text, "base64 decode error on tail: ")
        if format_length == 0:
            format_length = length
        elif format_length != length:
            raise ManifestError("conflicting format length")
        if len(format_tail) == 0:
            format_tail = tail
        elif format_tail != tail:
            raise ManifestError("conflicting format tail")
        head = block.get("header") or {}
        if not isinstance(head, dict):
            raise ManifestError("error unmarshalling signatures: json: cannot unmarshal into Go struct "
                                "field jsParsedSignature.header of type libtrust.jsParsedHeader")
        out_header: dict = {}
        if head.get("jwk") is not None:
            try:
                _public_key(head["jwk"])
            except ManifestError as err:
                raise ManifestError("error unmarshalling public key: %s" % err) from None
            out_header["jwk"] = head["jwk"]
        out_header["alg"] = _str_field(head, "alg")
        if head.get("x5c") is not None:
            out_header["x5c"] = head["x5c"]
        signatures.append({"header": out_header, "signature": _str_field(block, "signature"),
                           "protected": protected})
    if format_length > len(document) or format_length < 0:
        raise ManifestError("invalid format length")
    return bytes(document[:format_length]) + format_tail, signatures


def b64url_decode_wrapped(text: str, prefix: str) -> bytes:
    try:
        return b64url_decode(text)
    except ManifestError as err:
        raise ManifestError(prefix + str(err)) from None


def verify(document: bytes) -> list[str]:
    """libtrust ``Verify``: check every signature; returns the signers' KeyIDs."""
    payload, signatures = parse_pretty(document)
    encoded_payload = b64url_encode(payload)
    kids = []
    for sig in signatures:
        header = sig["header"]
        signing_input = (sig["protected"] + "." + encoded_payload).encode("ascii")
        alg = header.get("alg", "")
        if header.get("x5c"):
            key, kid, kty = _leaf_key(header["x5c"])
        elif header.get("jwk"):
            key, kid, kty = _public_key(header["jwk"])
        else:
            raise ManifestError("missing public key")
        raw_sig = b64url_decode(sig["signature"])
        if kty == "EC":
            _verify_ec(key, header.get("jwk", {}).get("crv") if not header.get("x5c") else None,
                       alg, raw_sig, signing_input)
        else:
            if alg not in _RSA_HASHES:
                raise ManifestError('unable to verify Signature: RSA Digital Signature Algorithm "%s" '
                                    'not supported' % alg)
            try:
                key.verify(raw_sig, signing_input, padding.PKCS1v15(), _RSA_HASHES[alg])  # type: ignore[union-attr]
            except InvalidSignature:
                raise ManifestError("invalid %s signature: crypto/rsa: verification error" % alg) from None
        kids.append(kid)
    return kids


def _verify_ec(key: object, crv: str | None, alg: str, raw_sig: bytes, signing_input: bytes) -> None:
    if crv is None:
        crv = {256: "P-256", 384: "P-384", 521: "P-521"}[key.curve.key_size]  # type: ignore[union-attr]
    _curve, want_alg, hash_alg, size, _ = _CURVES[crv]
    if alg != want_alg:
        raise ManifestError('unable to verify signature: EC Public Key with curve "%s" does not support '
                            'signature algorithm "%s"' % (crv, alg))
    if len(raw_sig) != 2 * size:
        raise ManifestError("signature length is %d octets long, should be %d" % (len(raw_sig), 2 * size))
    if key is None:
        raise ManifestError("invalid signature")
    der = encode_dss_signature(int.from_bytes(raw_sig[:size], "big"), int.from_bytes(raw_sig[size:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hash_alg))  # type: ignore[union-attr]
    except InvalidSignature:
        raise ManifestError("invalid signature") from None


def _leaf_key(chain: object) -> tuple[object, str, str]:
    from cryptography import x509

    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise ManifestError("missing public key")
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        key = cert.public_key()
    except ValueError as err:
        raise ManifestError("x509: %s" % err) from None
    kid = key_id(key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key, kid, "EC"
    if isinstance(key, rsa.RSAPublicKey):
        return key, kid, "RSA"
    raise ManifestError("unsupported public key type")
