"""Seeded random images and manifest lists for tests, benchmarks and exercises.

:func:`random_image` builds real gzip tar layers (deterministic: fixed mtime,
gzip mtime 0, stored deflate blocks), a config whose ``rootfs.diff_ids`` are
the sha256 of the uncompressed tars, and ``history`` entries with and without
``empty_layer`` (the conversion then needs the empty-tar blob). With
``exotic=True`` the config carries what breaks naive re-serialization:
non-ASCII (raw and ``\\u00e9``-escaped), ``<>&``, a fractional ``created`` with a
``+02:00`` offset, ``author`` and ``comment`` fields, and it is pretty-printed,
so only its exact bytes give the right digests and schema1 IDs.

:func:`random_index` gives one image per platform and the manifest list
(distribution's 3-space ``FromDescriptors`` bytes) that points at their schema2
manifests (``Image.schema2()``).
"""

from __future__ import annotations

import random
from typing import NamedTuple

from regcompat import gojson
from regcompat.image import Image, build_config, layer_blob
from regcompat.manifest import manifestlist
from regcompat.manifest.descriptor import Platform
from regcompat.manifest.manifestlist import ManifestList

__all__ = ["random_image", "random_index", "RandomIndex", "DEFAULT_PLATFORMS"]

DEFAULT_PLATFORMS = (("amd64", "linux", None), ("arm64", "linux", "v8"))

_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet")
_EMPTY_STEPS = ('/bin/sh -c #(nop)  ENV LANG=C.UTF-8', '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
                '/bin/sh -c #(nop)  LABEL org.example.seed={seed}', '/bin/sh -c #(nop) WORKDIR /srv')


def _layer_files(rng: random.Random, index: int) -> dict[str, bytes]:
    files = {}
    for _ in range(rng.randint(1, 3)):
        path = "/".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 3))) + f"-{index}.txt"
        files[path] = (" ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 40))) + "\n").encode()
    return files


def _created(seed: int, step: int, exotic: bool) -> str:
    base = f"2020-01-{1 + seed % 28:02d}T{step // 3600 % 24:02d}:{step // 60 % 60:02d}:{step % 60:02d}"
    return base + (".120000000+02:00" if exotic and step % 2 else "Z")


def random_image(seed: int = 0, layers: int = 2, empty_layers: bool = True, exotic: bool = False,
                 *, architecture: str = "amd64", os: str = "linux", variant: str | None = None) -> Image:
    """A deterministic image: ``layers`` real layers, optional empty-layer history, optional oddities."""
    rng = random.Random(f"regcompat:{seed}:{layers}:{empty_layers}:{exotic}:{architecture}:{variant}")
    blobs, diff_ids = [], []
    for i in range(layers):
        blob, diff_id = layer_blob(_layer_files(rng, i), mtime=1577836800 + seed)
        blobs.append(blob)
        diff_ids.append(diff_id)
    steps: list[dict] = []
    for i in range(layers):
        if empty_layers and rng.random() < 0.4:
            steps.append({"created_by": rng.choice(_EMPTY_STEPS).format(seed=seed), "empty_layer": True})
        steps.append({"created_by": f"/bin/sh -c #(nop) ADD file:{rng.getrandbits(32):08x} in / "})
    if empty_layers:
        steps.append({"created_by": '/bin/sh -c #(nop)  CMD ["/bin/sh"]', "empty_layer": True})
    if not steps:  # a config needs a history to be convertible; keep one empty step
        steps.append({"created_by": "/bin/sh -c #(nop)  ENV EMPTY=1", "empty_layer": True})
    history = []
    for n, step in enumerate(steps):
        entry = {"created": _created(seed, n, exotic), "created_by": step["created_by"]}
        if exotic and n == 0:
            entry["author"] = "Zoë <zoe@example.com> & co"
            entry["comment"] = "café <b>&</b>"
        if step.get("empty_layer"):
            entry["empty_layer"] = True
        history.append(entry)
    container = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                 "Cmd": ["/bin/sh"]}
    extra = {"created": history[-1]["created"], "docker_version": "1.10.0"}
    if variant:
        extra["variant"] = variant
    if not exotic:
        config = build_config(architecture=architecture, os=os, diff_ids=diff_ids, history=history,
                              config=container, extra=extra)
    else:
        container["Labels"] = {"org.example.note": "x < y && y > z", "org.example.drink": "café",
                               "org.example.name": "Zoë"}
        doc = {"architecture": architecture, "author": "Zoë <zoe@example.com> & co", "config": container,
               **extra, "os": os, "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
        # Pretty-printed, raw <, & and one \u00e9 escape Go would not write (in the first "café",
        # a label): the exact bytes, not the data, make the digest and the converted top entry.
        text = gojson.marshal_indent(doc, "", "    ").decode("utf-8")
        text = text.replace("\\u003c", "<").replace("\\u0026", "&").replace("café", "caf\\u00e9", 1)
        config = (text + "\n").encode("utf-8")
    return Image(config, tuple(blobs), label=f"random-{seed}")


class RandomIndex(NamedTuple):
    images: list[Image]
    index: ManifestList


def random_index(seed: int = 0, platforms: list[tuple[str, str, str | None]] | tuple = DEFAULT_PLATFORMS,
                 *, layers: int = 1, style: str = "distribution") -> RandomIndex:
    """One image per (architecture, os, variant) and the manifest list over their schema2 manifests."""
    images = [random_image(seed, layers=layers, architecture=arch, os=os_name, variant=variant)
              for arch, os_name, variant in platforms]
    entries = []
    for image, (arch, os_name, variant) in zip(images, platforms):
        m = image.schema2(style=style)
        entries.append(m.descriptor().__class__(m.media_type, len(m.raw), m.digest,
                                                platform=Platform(arch, os_name, variant=variant)))
    return RandomIndex(images, manifestlist.build(entries, style=style))
