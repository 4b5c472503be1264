"""What every manifest object has: its exact bytes, its digest and its references.

A manifest keeps the bytes it came from (``raw``) and never re-serializes them;
``canonical`` is what the digest is taken over (the JWS payload for signed
schema1, ``raw`` for everything else).
"""

from __future__ import annotations

from regcompat import gojson
from regcompat.digest import Digest, from_bytes
from regcompat.manifest.descriptor import Descriptor

__all__ = ["BaseManifest", "serialize"]

#: How each producer lays out the bytes: distribution's ``MarshalIndent`` with 3 spaces,
#: image-spec tools' 2-space indent, or compact ``json.Marshal`` (containers/image, ggcr).
_INDENTS = {"distribution": "   ", "indent": "  ", "compact": None}


def serialize(doc: dict, style: str, *, styles: tuple[str, ...] = ("distribution", "compact")) -> bytes:
    """The bytes a producer of ``style`` writes for ``doc`` (one of ``styles``)."""
    if style not in styles:
        raise ValueError(f"unknown style {style!r}; expected one of {', '.join(styles)}")
    indent = _INDENTS[style]
    return gojson.marshal(doc) if indent is None else gojson.marshal_indent(doc, "", indent)


class BaseManifest:
    """Common attributes; subclasses add their format's fields."""

    __slots__ = ("raw", "media_type", "canonical", "digest", "schema_version")

    raw: bytes
    media_type: str
    canonical: bytes
    digest: Digest
    schema_version: int

    def _set_bytes(self, raw: bytes, canonical: bytes, media_type: str, schema_version: int) -> None:
        self.raw = bytes(raw)
        self.canonical = self.raw if canonical is raw else bytes(canonical)
        self.media_type = media_type
        self.schema_version = schema_version
        self.digest = from_bytes(self.canonical)

    @property
    def size(self) -> int:
        """Length of the canonical bytes (what a registry reports as the manifest size)."""
        return len(self.canonical)

    def references(self) -> list[Descriptor]:
        raise NotImplementedError

    def descriptor(self) -> Descriptor:
        """A descriptor pointing at this manifest."""
        return Descriptor(self.media_type, self.size, self.digest)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.media_type or '(no mediaType)'} {self.digest}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.raw == self.raw  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.raw)
