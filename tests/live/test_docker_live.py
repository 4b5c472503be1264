"""A real Docker 20.10 daemon against real and served registries, compared with ``Engine("20.10")``.

The daemon (tests/live/dockerd.py) pushes an image made with ``docker
import`` from a tar built here, then pulls it back by tag and by digest, from
Debian's docker-registry 2.8.2 and from the model served over HTTP
(``Registry("2.8")``, and ``Registry("2.3.0")`` where schema2 to schema1
conversion exists). The model pushes the same image (the config and the
layer bytes the daemon uploaded: its gzip is Go's) to a registry of the same
version and pulls it, and both must print the same lines: the push banner,
``<tag>: digest: <d> size: <n>``, ``Pulling from``, ``Digest:``,
``Status:`` and the error texts. On the served model every request the
daemon sends is recorded and its manifest requests compared with the
model's: method, path, the set of ``Accept`` types (their order is a Go map
walk and changes between requests), the ``Content-Type`` and bytes of the
pushed manifest; for a push of a layer the daemon never saw, every request
in order (blob HEADs, POST, PATCH, PUT with ``digest=`` as Go encodes it).

Left out of the comparison, because the model does not print or send them:
per-layer progress lines (``<id>: Preparing``, ``Pushed``, ``Pull
complete``...), the reference the ``docker`` CLI prints after a pull (the
CLI's, not the daemon's), the CLI's ``Error response from daemon:`` prefix,
and the blob requests of pulls (the daemon's downloads run concurrently).
"""

from __future__ import annotations

import http.client
import io
import json
import re
import tarfile
import threading

import pytest

import regcompat as rc
from regcompat.image import Blob, Image
from regcompat.mediatypes import MediaType
from regcompat.server import serve
from tests.conftest import require_tool

from .dockerd import docker_daemon  # noqa: F401  (the session fixture)
from .processes import RealRegistry

pytestmark = pytest.mark.live

PROGRESS = re.compile(r"^[0-9a-f]{12}: ")


class Recorder:
    """A registry model that keeps every request it handles (what the daemon sent)."""

    def __init__(self, registry):
        self.registry = registry
        self.requests = []
        self._lock = threading.Lock()

    def handle(self, request, **kwargs):
        with self._lock:
            self.requests.append(request)
        return self.registry.handle(request, **kwargs)

    def mark(self) -> int:
        return len(self.requests)

    def since(self, mark: int) -> list:
        return self.requests[mark:]


def _served(version: str):
    recorder = Recorder(rc.Registry(version))
    with serve(recorder) as url:
        yield {"url": url, "version": version, "recorder": recorder}


@pytest.fixture(scope="module")
def served_28():
    yield from _served("2.8")


@pytest.fixture(scope="module")
def served_230():
    yield from _served("2.3.0")


@pytest.fixture(scope="module")
def real_28():
    registry = RealRegistry(require_tool("docker-registry")).start()
    try:
        yield {"url": registry.url, "version": "2.8", "recorder": None}
    finally:
        registry.close()


def _host(target: dict) -> str:
    return target["url"].split("//", 1)[1]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not PROGRESS.match(line)]


def _pull_lines(daemon, ref: str) -> tuple[int, list[str], str]:
    """``docker pull`` from an empty store: exit code, the daemon's lines, stderr."""
    daemon.remove_all_images()
    result = daemon.docker("pull", ref)
    lines = _lines(result.stdout)
    if result.returncode == 0:
        assert lines[-1] == ref, result.stdout  # the CLI's own last line, not modelled
        lines = lines[:-1]
    return result.returncode, lines, result.stderr.strip()


def _import(daemon, ref: str, content: bytes) -> None:
    """``docker import`` of a one-file tar built here (no network)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size, info.mtime = len(content), 1577836800
        tar.addfile(info, io.BytesIO(content))
    path = daemon.dir / "import.tar"
    path.write_bytes(data.getvalue())
    daemon.docker("import", str(path), ref, check=True)


def _get(url: str, target: str, accept: str | None = None) -> tuple[int, dict, bytes]:
    host, _, port = url.split("//", 1)[1].partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", target, headers={"Accept": accept} if accept else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def _image_as_pushed(url: str, name: str, tag: str) -> tuple[Image, bytes]:
    """The image the daemon pushed, from the registry's bytes: config and layers (Go's gzip)."""
    status, _, raw = _get(url, f"/v2/{name}/manifests/{tag}", MediaType.SCHEMA2)
    assert status == 200
    manifest = json.loads(raw)
    config = _get(url, f"/v2/{name}/blobs/{manifest['config']['digest']}")[2]
    layers = tuple(Blob(layer["mediaType"], _get(url, f"/v2/{name}/blobs/{layer['digest']}")[2])
                   for layer in manifest["layers"])
    return Image(config, layers), raw


def _request_kinds(requests) -> list[tuple[str, str]]:
    """Every request as (method, what): the blob digest, ``upload`` (with ``?digest=`` as sent), or the path."""
    rows = []
    for request in requests:
        path, _, query = request.target.partition("?")
        if "/blobs/uploads/" in path:
            digest = [part for part in query.split("&") if part.startswith("digest=")]
            rows.append((request.method, "upload" + (f" {digest[0]}" if digest else "")))
        elif "/blobs/" in path:
            rows.append((request.method, path.rsplit("/", 1)[1]))
        else:
            rows.append((request.method, path))
    return rows


def _manifest_requests(requests) -> list[tuple]:
    rows = []
    for request in requests:
        if "/manifests/" not in request.target:
            continue
        rows.append((request.method, request.target, tuple(sorted(request.headers.get_all("Accept"))),
                     request.headers.get("Content-Type"), request.body if request.method == "PUT" else b""))
    return rows


@pytest.fixture(params=["real-2.8.2", "served-2.8", "served-2.3.0"])
def target(request):
    name = {"real-2.8.2": "real_28", "served-2.8": "served_28", "served-2.3.0": "served_230"}[request.param]
    return request.getfixturevalue(name)


@pytest.mark.parametrize("by", ["tag", "digest"])
def test_push_and_pull_match_the_model(docker_daemon, target, by):
    """Push, then pull by tag or by digest: the daemon and Engine("20.10") print the same lines.

    Each case pushes its own image: a daemon that fetched a manifest keeps it in
    containerd's content store and may not fetch it again (see pull.py), which
    the model, whose pulls start from an empty daemon, does not do.
    """
    daemon, host, recorder = docker_daemon, _host(target), target["recorder"]
    name = "live/docker-" + target["version"].replace(".", "") + "-" + by
    ref = f"{host}/{name}:latest"
    _import(daemon, ref, f"pushed to {target['url']} for {by}\n".encode())  # a layer this daemon never pushed
    mark = recorder.mark() if recorder else 0
    pushed = daemon.docker("push", ref)
    sent = recorder.since(mark) if recorder else []
    assert pushed.returncode == 0, pushed.stderr
    image, raw = _image_as_pushed(target["url"], name, "latest")

    model_registry = rc.Registry(target["version"])
    model = rc.Engine("20.10", model_registry, host=host).push(image, f"{name}:latest")
    assert model.ok and model.media_type == MediaType.SCHEMA2
    assert _lines(pushed.stdout) == model.output
    assert model.output[-1] == f"latest: digest: {rc.manifest_digest(raw)} size: {len(raw)}"
    if recorder:
        manifests = _manifest_requests(sent)
        assert manifests == _manifest_requests(ex.request for ex in model.exchanges)
        assert manifests[0][3] == MediaType.SCHEMA2 and manifests[0][4] == raw
        # a fresh layer: POST, PATCH, PUT ?digest=sha256%3A..., HEAD; the config HEADed first
        assert _request_kinds(sent) == _request_kinds(ex.request for ex in model.exchanges)

    pull_ref = ref if by == "tag" else f"{host}/{name}@{model.digest}"
    mark = recorder.mark() if recorder else 0
    code, lines, stderr = _pull_lines(daemon, pull_ref)
    assert code == 0, stderr
    modelled = rc.Engine("20.10", model_registry, host=host).pull(pull_ref.split("/", 1)[1])
    assert modelled.ok and lines == modelled.output
    if recorder:
        assert _manifest_requests(recorder.since(mark)) == _manifest_requests(ex.request for ex in modelled.exchanges)


def test_a_missing_tag_is_reported_like_the_model(docker_daemon, target):
    host = _host(target)
    code, _, stderr = _pull_lines(docker_daemon, f"{host}/live/absent:latest")
    modelled = rc.Engine("20.10", rc.Registry(target["version"]), host=host).pull("live/absent:latest")
    assert code != 0 and not modelled.ok
    assert stderr == f"Error response from daemon: {modelled.error}"
    assert modelled.error == f"manifest for {host}/live/absent:latest not found: manifest unknown: manifest unknown"


@pytest.mark.parametrize("version", ["2.0", "2.1", "2.2.1"])
def test_a_refused_schema2_push_fails_like_the_model(docker_daemon, version):
    """No schema1 fallback in 20.10: 2.0 and 2.1's bare ``tag invalid`` is wrapped, 2.2.1's error is not."""
    with serve(rc.Registry(version)) as url:
        host = url.split("//", 1)[1]
        ref = f"{host}/live/refused:latest"
        _import(docker_daemon, ref, f"refused by {version}\n".encode())
        pushed = docker_daemon.docker("push", ref)
        image, _ = _image_as_pushed_from_daemon(docker_daemon, ref)
    modelled = rc.Engine("20.10", rc.Registry(version), host=host).push(image, "live/refused:latest")
    assert pushed.returncode != 0 and not modelled.ok
    assert pushed.stderr.strip() == modelled.error
    assert _lines(pushed.stdout) == modelled.output[:-1]  # the model's output ends with the error text


def _image_as_pushed_from_daemon(daemon, ref: str) -> tuple[Image, None]:
    """The image's config as the daemon holds it (``docker save``); a refused push fails before layers matter."""
    image_id = daemon.docker("image", "inspect", "--format", "{{.Id}}", ref, check=True).stdout.strip()
    with tarfile.open(fileobj=io.BytesIO(daemon.output_bytes("save", ref))) as tar:
        config = tar.extractfile(image_id.split(":", 1)[1] + ".json").read()
    return Image(config, ()), None


@pytest.mark.parametrize("version", ["2.3.0", "2.8"])
def test_schema1_images_pull_like_the_model(docker_daemon, version):
    """20.10 still pulls schema1 (pushed here by the model's Docker 1.9), by tag and by digest."""
    recorder = Recorder(rc.Registry(version, **({"schema1_push": True} if version == "2.8" else {})))
    with serve(recorder) as url:
        host = url.split("//", 1)[1]
        pushed = rc.Engine("1.9", url, host=host).push(rc.sample_image(), "live/schema1:latest")
        assert pushed.ok
        for ref in ("live/schema1:latest", f"live/schema1@{pushed.digest}"):
            mark = recorder.mark()
            code, lines, stderr = _pull_lines(docker_daemon, f"{host}/{ref}")
            daemon_requests = _manifest_requests(recorder.since(mark))
            modelled = rc.Engine("20.10", url, host=host).pull(ref)
            assert code == 0, stderr
            assert modelled.ok and lines == modelled.output, ref
            assert daemon_requests == _manifest_requests(ex.request for ex in modelled.exchanges), ref
