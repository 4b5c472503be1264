"""libtrust keys: JWK parsing, KeyIDs, the EC P-256 signing key, base64url.

Modelled after docker/libtrust (ec_key.go, rsa_key.go, key.go, util.go):

  * :func:`key_id`: SHA-256 of the SubjectPublicKeyInfo DER, first 240 bits,
    base32, 12 groups of 4 (``ABCD:EFGH:...``);
  * :func:`public_key`: a JWK as ``UnmarshalPublicKeyJWK`` reads it (EC P-256,
    P-384, P-521 with coordinates of exactly the curve length; RSA ``n``/``e``),
    checking a given ``kid`` against the key, with libtrust's error texts;
  * :func:`verify_signature`: one JWS signature, key from ``x5c`` (leaf
    certificate) or ``jwk``: ES256/384/512 ``r || s`` and RS256/384/512;
  * :class:`TrustKey`: a P-256 private key (Docker's ``key.json``, a registry's
    signing key), derived deterministically from a seed for reproducible lessons.

Left out: private-key JWK files, RSA signing keys and x5c chain validation.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from regcompat.manifest._decode import ManifestError

__all__ = ["TrustKey", "key_id", "public_key", "verify_signature", "b64url_encode", "b64url_decode"]

_CURVES = {  # crv -> (cryptography curve, alg, hash, byte length, SPKI DER prefix before x||y)
    "P-256": (ec.SECP256R1(), "ES256", hashes.SHA256(), 32,
              bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004")),
    "P-384": (ec.SECP384R1(), "ES384", hashes.SHA384(), 48,
              bytes.fromhex("3076301006072a8648ce3d020106052b8104002203620004")),
    "P-521": (ec.SECP521R1(), "ES512", hashes.SHA512(), 66,
              bytes.fromhex("30819b301006072a8648ce3d020106052b810400230381860004")),
}
_CURVE_BY_SIZE = {256: "P-256", 384: "P-384", 521: "P-521"}
_RSA_HASHES = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}\Z")


def b64url_encode(data: bytes) -> str:
    """joseBase64UrlEncode: URL alphabet, padding stripped."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """joseBase64UrlDecode: drops newlines and spaces, re-pads, strict URL alphabet."""
    text = text.replace("\n", "").replace(" ", "")
    if len(text) % 4 == 1:
        raise ManifestError("illegal base64url string")
    text += "=" * (-len(text) % 4)
    if _B64URL.match(text):
        try:
            return base64.urlsafe_b64decode(text)
        except ValueError:
            pass
    bad = next((i for i, ch in enumerate(text) if not (ch.isascii() and (ch.isalnum() or ch in "-_"))),
               len(text))
    raise ManifestError("illegal base64 data at input byte %d" % bad)


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
        """ES256 over ``data``: ``r || s``, 32 bytes each (RFC 6979 deterministic nonce)."""
        der = self._private.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def __repr__(self) -> str:
        return f"<TrustKey {self.key_id}>"


def _jwk_str(jwk: dict, name: str, what: str) -> str:
    if name not in jwk:
        raise ManifestError('%s: "%s" value not specified' % (what, name))
    value = jwk[name]
    if not isinstance(value, str):
        raise ManifestError('%s: "%s" value must be a string' % (what, name))
    return value


def _b64_param(jwk: dict, name: str, what: str) -> bytes:
    text = _jwk_str(jwk, name, what)
    try:
        return b64url_decode(text)
    except ManifestError as err:
        raise ManifestError("%s: invalid base64 URL encoding: %s" % (what, err)) from None


def public_key(jwk: object) -> tuple[object, str, str]:
    """(cryptography key, or None for an EC point off the curve; KeyID; "EC"|"RSA") from a JWK."""
    if not isinstance(jwk, dict):
        raise ManifestError("decoding JWK Public Key JSON data: json: cannot unmarshal into Go value "
                            "of type map[string]interface {}\n")
    kty = _jwk_str(jwk, "kty", "JWK Public Key type")
    if kty == "EC":
        crv = _jwk_str(jwk, "crv", "JWK EC Public Key curve identifier")
        if crv not in _CURVES:
            raise ManifestError('JWK EC Public Key curve identifier not supported: "%s"\n' % crv)
        curve, _alg, _hash, size, prefix = _CURVES[crv]
        coords = []
        for axis in ("x", "y"):
            what = "JWK EC Public Key %s-coordinate" % axis
            raw = _b64_param(jwk, axis, what)
            if len(raw) != size:
                raise ManifestError("%s: invalid number of octets: got %d, should be %d" % (what, len(raw), size))
            coords.append(raw)
        kid = key_id(prefix + coords[0] + coords[1])
        try:
            key = ec.EllipticCurvePublicNumbers(int.from_bytes(coords[0], "big"),
                                                int.from_bytes(coords[1], "big"), curve).public_key()
        except ValueError:
            key = None  # Go builds the key anyway; ecdsa.Verify then fails
    elif kty == "RSA":
        n = int.from_bytes(_b64_param(jwk, "n", "JWK RSA Public Key modulus"), "big")
        e = int.from_bytes(_b64_param(jwk, "e", "JWK RSA Public Key exponent"), "big")
        try:
            key = rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError as err:
            raise ManifestError("JWK RSA Public Key: %s" % err) from None
        kid = key_id(key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    else:
        raise ManifestError('JWK Public Key type not supported: "%s"\n' % kty)
    if "kid" in jwk:
        given = _jwk_str(jwk, "kid", "JWK %s Public Key ID" % kty)
        if given != kid:
            raise ManifestError("JWK %s Public Key ID does not match: %s" % (kty, given))
    return key, kid, kty


def _leaf_key(chain: object) -> tuple[object, str, str]:
    from cryptography import x509  # only x5c signatures need it

    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise ManifestError("missing public key")
    try:
        key = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True)).public_key()
    except ValueError as err:
        raise ManifestError("x509: %s" % err) from None
    kid = key_id(key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size in _CURVE_BY_SIZE:
        return key, kid, "EC"
    if isinstance(key, rsa.RSAPublicKey):
        return key, kid, "RSA"
    raise ManifestError("unsupported public key type")


def verify_signature(header: dict, signature: str, signing_input: bytes) -> str:
    """Verify one JWS signature as libtrust's ``Verify`` loop does; returns the signer's KeyID."""
    alg = header.get("alg", "")
    if header.get("x5c"):
        key, kid, kty = _leaf_key(header["x5c"])
        crv = _CURVE_BY_SIZE[key.curve.key_size] if kty == "EC" else ""  # type: ignore[union-attr]
    elif header.get("jwk"):
        key, kid, kty = public_key(header["jwk"])
        crv = header["jwk"].get("crv", "")
    else:
        raise ManifestError("missing public key")
    raw = b64url_decode(signature)
    if kty == "RSA":
        if alg not in _RSA_HASHES:
            raise ManifestError('unable to verify Signature: RSA Digital Signature Algorithm "%s" not supported'
                                % alg)
        try:
            key.verify(raw, signing_input, padding.PKCS1v15(), _RSA_HASHES[alg])  # type: ignore[union-attr]
        except InvalidSignature:
            raise ManifestError("invalid %s signature: crypto/rsa: verification error" % alg) from None
        return kid
    _curve, want_alg, hash_alg, size, _ = _CURVES[crv]
    if alg != want_alg:
        raise ManifestError('unable to verify signature: EC Public Key with curve "%s" does not support '
                            'signature algorithm "%s"' % (crv, alg))
    if len(raw) != 2 * size:
        raise ManifestError("signature length is %d octets long, should be %d" % (len(raw), 2 * size))
    if key is None:
        raise ManifestError("invalid signature")
    der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hash_alg))  # type: ignore[union-attr]
    except InvalidSignature:
        raise ManifestError("invalid signature") from None
    return kid
