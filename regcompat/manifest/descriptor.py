"""Content descriptors and platforms, as the Go producers read and write them.

A descriptor names a blob or manifest by media type, size and digest. Key order
and which empty fields are dropped depend on who writes it (format reference
section 1.1), so :meth:`Descriptor.to_json` takes a ``style``:

  ``"distribution"``  distribution's ``Descriptor``: mediaType, size, digest, urls,
                      annotations, platform, all omitempty (used by ``FromStruct``);
  ``"docker"``        containers/image Docker types: mediaType, size, digest (never
                      omitted, ``size: 0`` is written), urls;
  ``"oci"``           image-spec Go types: mediaType, digest, size, urls, annotations,
                      data, platform, artifactType.

Parsing never validates the digest string (Go's ``digest.Digest`` is a plain
string while decoding): :attr:`Descriptor.digest` is a :class:`Digest` when the
string is a valid digest and the raw ``str`` otherwise, so the registry can
answer DIGEST_INVALID or MANIFEST_BLOB_UNKNOWN the way the modelled version did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from regcompat.digest import Digest, DigestError
from regcompat.manifest._decode import Fields

__all__ = ["Descriptor", "Platform", "as_digest"]


def as_digest(value: str) -> Digest | str:
    """``value`` as a :class:`Digest` if valid, else unchanged (Go decodes digests as strings)."""
    try:
        return Digest(value)
    except DigestError:
        return value


@dataclass(frozen=True, slots=True)
class Platform:
    """Where a manifest runs (Docker ``PlatformSpec`` / OCI ``Platform``)."""

    architecture: str
    os: str
    os_version: str | None = None
    os_features: tuple[str, ...] = ()
    variant: str | None = None
    features: tuple[str, ...] = ()

    def to_json(self, style: str = "distribution") -> dict:
        """Key order architecture, os, os.version, os.features, variant, features (omitempty)."""
        out: dict = {"architecture": self.architecture, "os": self.os}
        if self.os_version:
            out["os.version"] = self.os_version
        if self.os_features:
            out["os.features"] = list(self.os_features)
        if self.variant:
            out["variant"] = self.variant
        if self.features and style != "oci":  # reserved (not emitted) in image-spec
            out["features"] = list(self.features)
        return out

    @classmethod
    def from_fields(cls, f: Fields) -> "Platform":
        return cls(architecture=f.str("architecture"), os=f.str("os"),
                   os_version=f.str("os.version") or None, os_features=f.strings("os.features"),
                   variant=f.str("variant") or None, features=f.strings("features"))


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A reference to content: media type, size and digest (plus OCI/list extras)."""

    media_type: str
    size: int
    digest: Digest
    urls: tuple[str, ...] = ()
    annotations: dict | None = field(default=None, hash=False)
    platform: Platform | None = None
    artifact_type: str | None = None
    data: str | None = None  # base64 text, as it appears in the JSON (OCI 1.1)

    def to_json(self, style: str = "distribution") -> dict:
        if style == "oci":
            out: dict = {"mediaType": self.media_type, "digest": str(self.digest), "size": self.size}
            if self.urls:
                out["urls"] = list(self.urls)
            if self.annotations:
                out["annotations"] = dict(self.annotations)
            if self.data:
                out["data"] = self.data
            if self.platform is not None:
                out["platform"] = self.platform.to_json("oci")
            if self.artifact_type:
                out["artifactType"] = self.artifact_type
            return out
        if style == "docker":
            out = {"mediaType": self.media_type, "size": self.size, "digest": str(self.digest)}
            if self.urls:
                out["urls"] = list(self.urls)
            return out
        if style != "distribution":
            raise ValueError(f"unknown descriptor style {style!r}")
        out = {}
        if self.media_type:
            out["mediaType"] = self.media_type
        if self.size:
            out["size"] = self.size
        if self.digest:
            out["digest"] = str(self.digest)
        if self.urls:
            out["urls"] = list(self.urls)
        if self.annotations:
            out["annotations"] = dict(self.annotations)
        if self.platform is not None:
            out["platform"] = self.platform.to_json()
        return out

    @classmethod
    def from_fields(cls, f: Fields | None, *, with_platform: bool = True) -> "Descriptor":
        """Read a descriptor object; an absent/null one is the Go zero value."""
        if f is None:
            return cls("", 0, "")  # type: ignore[arg-type]
        platform = None
        if with_platform:
            pf = f.sub("platform", "Platform")
            platform = Platform.from_fields(pf) if pf is not None else None
        return cls(media_type=f.str("mediaType"), size=f.int("size", "int64"),
                   digest=as_digest(f.str("digest", "digest.Digest")), urls=f.strings("urls"),
                   annotations=f.string_map("annotations"), platform=platform,
                   artifact_type=f.str("artifactType") or None, data=f.str("data") or None)
