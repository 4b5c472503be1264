"""Run Debian's skopeo against a registry on loopback, and write OCI layouts for it to copy."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from regcompat.image import Image
from regcompat.mediatypes import MediaType

__all__ = ["Skopeo", "write_oci_layout"]


def write_oci_layout(image: Image, directory: Path, tag: str = "latest") -> bytes:
    """An OCI image layout holding ``image`` (OCI manifest); returns the manifest bytes."""
    manifest = image.oci()
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    for blob in image.blobs():
        (blobs / blob.digest.split(":", 1)[1]).write_bytes(blob.data)
    (blobs / manifest.digest.split(":", 1)[1]).write_bytes(manifest.raw)
    (directory / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": MediaType.OCI_MANIFEST, "digest": str(manifest.digest), "size": len(manifest.raw),
        "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    (directory / "index.json").write_text(json.dumps(index))
    return manifest.raw


class Skopeo:
    """``skopeo`` with an isolated HOME, no credentials and an accept-anything policy."""

    def __init__(self, binary: str, home: Path):
        self.binary = binary
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.policy = home / "policy.json"
        self.policy.write_text('{"default": [{"type": "insecureAcceptAnything"}]}')

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {**os.environ, "HOME": str(self.home), "XDG_RUNTIME_DIR": str(self.home),
               "REGISTRY_AUTH_FILE": str(self.home / "auth.json")}
        result = subprocess.run([self.binary, "--policy", str(self.policy), *args], capture_output=True, check=False,
                                env=env, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"skopeo {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stderr.decode(errors='replace')}")
        return result

    def copy_in(self, layout: Path, dest: str, fmt: str, *, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("copy", "--format", fmt, "--dest-tls-verify=false", "--retry-times", "0",
                        f"oci:{layout}:latest", f"docker://{dest}", check=check)

    def copy_out(self, src: str, directory: Path) -> None:
        self.run("copy", "--src-tls-verify=false", "--retry-times", "0", f"docker://{src}", f"dir:{directory}")

    def inspect_raw(self, ref: str) -> bytes:
        return self.run("inspect", "--raw", "--tls-verify=false", "--retry-times", "0", f"docker://{ref}").stdout

    def manifest_digest(self, path: Path) -> str:
        return self.run("manifest-digest", str(path)).stdout.decode().strip()
