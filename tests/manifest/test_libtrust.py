"""libtrust pretty-JWS signing and verification, with skopeo as the external oracle."""

from __future__ import annotations

import base64
import datetime as dt
import json
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from regcompat.digest import from_bytes
from regcompat.manifest import ManifestError, libtrust, manifest_digest, schema1
from regcompat.manifest.libtrust import TrustKey, b64url_decode, b64url_encode

from . import vectors as tv

NOW = dt.datetime(2016, 2, 9, 10, 0, 0, tzinfo=dt.timezone.utc)
KEY = TrustKey.from_seed("tests")
OTHER = TrustKey.from_seed("other")
PRETTY = tv.TV6_PAYLOAD                       # 3-space distribution payload
COMPACT = schema1.parse(tv.TV6_SIGNED).canonical  # compact containers/image payload


def header(doc: bytes) -> dict:
    return json.loads(b64url_decode(json.loads(doc)["signatures"][0]["protected"]))


def test_from_seed_is_deterministic_and_key_id_matches_the_jwk():
    assert TrustKey.from_seed("tests").key_id == KEY.key_id != OTHER.key_id
    jwk = KEY.public_jwk()
    assert list(jwk) == ["crv", "kid", "kty", "x", "y"] and jwk["kid"] == KEY.key_id
    spki = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004") + \
        b64url_decode(jwk["x"]) + b64url_decode(jwk["y"])
    assert libtrust.key_id(spki) == KEY.key_id
    assert len(KEY.key_id) == 59 and KEY.key_id.count(":") == 11


def test_sign_is_deterministic_and_verifies():
    doc = libtrust.sign(PRETTY, KEY, now=NOW)
    assert doc == libtrust.sign(PRETTY, KEY, now=NOW)
    assert libtrust.verify(doc) == [KEY.key_id]
    m = schema1.parse(doc)
    assert m.canonical == PRETTY and m.digest == from_bytes(PRETTY)
    assert header(doc) == {"formatLength": len(PRETTY) - 2, "formatTail": "Cn0", "time": "2016-02-09T10:00:00Z"}


def test_pretty_payload_gets_the_libtrust_indented_block():
    doc = libtrust.sign(PRETTY, KEY, now=NOW)
    assert doc.startswith(PRETTY[:-2] + b',\n   "signatures": [\n      {\n         "header": {\n'
                          b'            "jwk": {\n               "crv": "P-256",')
    assert doc.endswith(b'"\n      }\n   ]\n}')


def test_compact_payload_gets_a_compact_block():
    doc = libtrust.sign(COMPACT, KEY, now=NOW)
    assert doc.startswith(COMPACT[:-1] + b',"signatures":[{"header":{"jwk":{"crv":"P-256","kid":')
    assert doc.endswith(b'"}]}') and header(doc)["formatTail"] == "fQ"


def test_trailing_newline_lives_only_in_the_protected_header():
    payload = PRETTY + b"\n"
    doc = libtrust.sign(payload, KEY, now=NOW)
    assert header(doc)["formatTail"] == b64url_encode(b"\n}\n")
    assert doc.endswith(b"]\n}")
    assert schema1.parse(doc).canonical == payload


def test_naive_and_non_utc_times_are_written_in_utc():
    local = dt.datetime(2016, 2, 9, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert header(libtrust.sign(PRETTY, KEY, now=local))["time"] == "2016-02-09T10:00:00Z"
    assert header(libtrust.sign(PRETTY, KEY, now=NOW.replace(tzinfo=None)))["time"] == "2016-02-09T10:00:00Z"


def test_bytes_after_format_length_are_neither_signed_nor_hashed():
    doc = libtrust.sign(PRETTY, KEY, now=NOW)
    rewritten = doc[:-4] + b"]   }\n\n"
    assert doc.endswith(b"\n   ]\n}") and rewritten != doc
    libtrust.verify(rewritten)
    assert manifest_digest(rewritten) == manifest_digest(doc) == from_bytes(PRETTY)


def test_multiple_signatures_are_sorted_by_key_id():
    first = schema1.parse(libtrust.sign(PRETTY, KEY, now=NOW)).signatures
    second = schema1.parse(libtrust.sign(PRETTY, OTHER, now=NOW)).signatures
    doc = libtrust.pretty_signature(PRETTY, second + first)
    assert doc == libtrust.pretty_signature(PRETTY, first + second)
    kids = [s["header"]["jwk"]["kid"] for s in json.loads(doc)["signatures"]]
    assert kids == sorted([KEY.key_id, OTHER.key_id])
    assert libtrust.verify(doc) == kids


def _resign(doc: bytes, mutate) -> bytes:
    obj = json.loads(doc)
    mutate(obj["signatures"])
    payload = schema1.parse(doc).canonical  # assembled by hand: the signatures may be invalid
    return payload[:-2] + b',\n   "signatures": ' + json.dumps(obj["signatures"]).encode() + b"\n}"


SIGNED = libtrust.sign(PRETTY, KEY, now=NOW)


def _tampered_payload(doc: bytes) -> bytes:
    return doc.replace(b'"tag": "v1"', b'"tag": "v2"')


def _set(path, value):
    def mutate(sigs):
        target = sigs[0]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


@pytest.mark.parametrize("document, message", [
    (_tampered_payload(SIGNED), "invalid signature"),
    (PRETTY, "missing signature key"),
    (_resign(SIGNED, _set(("header", "alg"), "ES384")),
     'unable to verify signature: EC Public Key with curve "P-256" does not support signature algorithm "ES384"'),
    (_resign(SIGNED, _set(("signature",), b64url_encode(b"\x01" * 63))),
     "signature length is 63 octets long, should be 64"),
    (_resign(SIGNED, _set(("header", "jwk", "kid"), OTHER.key_id)),
     "error unmarshalling public key: JWK EC Public Key ID does not match: " + OTHER.key_id),
    (_resign(SIGNED, lambda sigs: sigs[0]["header"].pop("jwk")), "missing public key"),
    (_resign(SIGNED, _set(("header", "jwk"), None)),
     'error unmarshalling public key: JWK Public Key type: "kty" value not specified'),
    (_resign(SIGNED, _set(("header", "jwk", "x"), b64url_encode(b"\x01" * 31))),
     "error unmarshalling public key: JWK EC Public Key x-coordinate: invalid number of octets: got 31, should be 32"),
    (_resign(SIGNED, _set(("header", "jwk", "crv"), "P-192")),
     'error unmarshalling public key: JWK EC Public Key curve identifier not supported: "P-192"\n'),
    (_resign(SIGNED, _set(("protected",), b64url_encode(b'{"formatTail":"Cn0"}'))), "missing formatted length"),
    (_resign(SIGNED, _set(("protected",), b64url_encode(b'{"formatLength":9999999,"formatTail":"Cn0"}'))),
     "invalid format length"),
    (_resign(SIGNED, _set(("protected",), "abcde")), "base64 decode error: illegal base64url string"),
    (_resign(SIGNED, _set(("protected",), "!!!")), "base64 decode error: illegal base64 data at input byte 0"),
    (_resign(SIGNED, _set(("header", "alg"), 256)),
     "error unmarshalling signatures: json: cannot unmarshal number into Go struct field "
     "jsParsedHeader.header.alg of type string"),
    (_resign(SIGNED, _set(("header", "x5c"), "MIIB")),
     "error unmarshalling signatures: json: cannot unmarshal string into Go struct field "
     "jsParsedHeader.header.x5c of type []string"),
    (_resign(SIGNED, _set(("signature",), ["x"])),
     "error unmarshalling signatures: json: cannot unmarshal array into Go struct field "
     "jsParsedSignature.signature of type string"),
], ids=["tampered payload", "no signatures", "wrong alg", "short signature", "kid mismatch", "no key", "null key",
        "short coordinate", "unknown curve", "no format length", "format length too long", "base64 length",
        "base64 alphabet", "alg type", "x5c type", "signature type"])
def test_verification_failures_carry_libtrusts_messages(document, message):
    with pytest.raises(ManifestError) as err:
        libtrust.verify(document)
    assert str(err.value) == message


def test_conflicting_format_lengths():
    a = json.loads(libtrust.sign(PRETTY, KEY, now=NOW))["signatures"][0]
    b = json.loads(libtrust.sign(PRETTY + b"\n", OTHER, now=NOW))["signatures"][0]
    doc = PRETTY[:-2] + b',\n   "signatures": ' + json.dumps([a, b]).encode() + b"\n}"
    b_header = json.loads(b64url_decode(b["protected"]))
    assert b_header["formatLength"] == json.loads(b64url_decode(a["protected"]))["formatLength"]
    with pytest.raises(ManifestError, match="^conflicting format tail$"):
        libtrust.verify(doc)
    c = json.loads(libtrust.sign(b"{\n   \"x\": 1\n}", OTHER, now=NOW))["signatures"][0]
    with pytest.raises(ManifestError, match="^conflicting format length$"):
        libtrust.parse_pretty(PRETTY[:-2] + b',\n   "signatures": ' + json.dumps([a, c]).encode() + b"\n}")


def test_signature_block_fields_match_case_insensitively_like_go_structs():
    doc = SIGNED.replace(b'"header": {', b'"Header": {').replace(b'"protected":', b'"PROTECTED":')
    assert libtrust.verify(doc) == [KEY.key_id]
    assert schema1.parse(doc).canonical == PRETTY


def test_an_empty_signature_list_verifies_nothing_and_passes():
    """libtrust Verify loops over the signatures: none means no error (distribution accepts it)."""
    doc = _resign(SIGNED, lambda sigs: sigs.clear())
    assert libtrust.verify(doc) == []


@pytest.mark.parametrize("payload", [b"[1]", b'"x"', b"{}x"])
def test_sign_refuses_non_object_payloads(payload):
    with pytest.raises(ManifestError):
        libtrust.sign(payload, KEY, now=NOW)


def _signing_input(doc: bytes) -> tuple[dict, bytes]:
    sig = json.loads(doc)["signatures"][0]
    return sig, (sig["protected"] + "." + b64url_encode(schema1.parse(doc).canonical)).encode()


def test_rsa_signatures_verify():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = private.public_key().public_numbers()
    jwk = {"e": b64url_encode(numbers.e.to_bytes(3, "big")), "kty": "RSA",
           "n": b64url_encode(numbers.n.to_bytes(256, "big"))}
    sig, signing_input = _signing_input(SIGNED)
    sig = {"header": {"jwk": jwk, "alg": "RS256"}, "protected": sig["protected"],
           "signature": b64url_encode(private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256()))}
    doc = libtrust.pretty_signature(PRETTY, [sig])
    assert len(libtrust.verify(doc)[0]) == 59
    bad = libtrust.pretty_signature(PRETTY, [{**sig, "signature": b64url_encode(b"\0" * 256)}])
    with pytest.raises(ManifestError, match="^invalid RS256 signature: crypto/rsa: verification error$"):
        libtrust.verify(bad)


def test_x5c_leaf_certificate_key_is_used():
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signer")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private.public_key()).serial_number(1)
            .not_valid_before(dt.datetime(2016, 1, 1)).not_valid_after(dt.datetime(2036, 1, 1))
            .sign(private, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    sig, signing_input = _signing_input(SIGNED)
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    r, s = decode_dss_signature(private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    doc = libtrust.pretty_signature(PRETTY, [{
        "header": {"alg": "ES256", "x5c": [base64.b64encode(der).decode()]},
        "protected": sig["protected"], "signature": b64url_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))}])
    assert b'"x5c": [' in doc and b'"jwk"' not in doc
    assert len(libtrust.verify(doc)) == 1


# -- skopeo, the external oracle ---------------------------------------------------------------


@pytest.mark.live
@pytest.mark.parametrize("payload", [PRETTY, COMPACT, PRETTY + b"\n", tv.TV1, tv.TV4, tv.TV5],
                         ids=["pretty", "compact", "trailing newline", "schema2", "list", "oci"])
def test_skopeo_agrees_on_documents_we_sign_or_build(skopeo, tmp_path, payload):
    is_schema1 = b'"schemaVersion": 1' in payload or b'"schemaVersion":1' in payload
    document = libtrust.sign(payload, KEY, now=NOW) if is_schema1 else payload
    (tmp_path / "manifest.json").write_bytes(document)
    assert skopeo("manifest-digest", str(tmp_path / "manifest.json")).strip() == manifest_digest(document)
    if is_schema1:
        assert manifest_digest(document) == from_bytes(payload)
