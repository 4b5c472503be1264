"""Media types of Docker and OCI manifests, configs and layers.

One place names every media type the model knows (see the format reference,
section 1), with predicates that say what kind of document a type denotes.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["MediaType", "is_schema1", "is_index", "is_image_manifest", "is_manifest", "short_name"]


class MediaType(StrEnum):
    SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
    SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json"
    MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
    DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
    DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar"
    DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    SCHEMA1_LAYER = "application/vnd.docker.container.image.rootfs.diff+x-gtar"
    OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
    OCI_INDEX = "application/vnd.oci.image.index.v1+json"
    OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
    OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
    OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
    OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"
    OCI_EMPTY = "application/vnd.oci.empty.v1+json"
    OCTET_STREAM = "application/octet-stream"
    JSON = "application/json"


_SHORT = {
    MediaType.SCHEMA1: "schema1",
    MediaType.SCHEMA1_SIGNED: "schema1 (signed)",
    MediaType.SCHEMA2: "schema2",
    MediaType.MANIFEST_LIST: "manifest list",
    MediaType.OCI_MANIFEST: "OCI manifest",
    MediaType.OCI_INDEX: "OCI index",
}


def is_schema1(media_type: str) -> bool:
    return media_type in (MediaType.SCHEMA1, MediaType.SCHEMA1_SIGNED)


def is_index(media_type: str) -> bool:
    return media_type in (MediaType.MANIFEST_LIST, MediaType.OCI_INDEX)


def is_image_manifest(media_type: str) -> bool:
    return media_type in (MediaType.SCHEMA2, MediaType.OCI_MANIFEST) or is_schema1(media_type)


def is_manifest(media_type: str) -> bool:
    return is_image_manifest(media_type) or is_index(media_type)


def short_name(media_type: str) -> str:
    """A human name for a manifest media type ("schema2", "manifest list"...)."""
    return _SHORT.get(media_type, media_type or "(none)")
