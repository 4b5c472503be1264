"""The command line: every verb, its formats, and clear errors on bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import pytest

import regcompat as rc
from regcompat.cli import main
from regcompat.image import sample_image
from regcompat.manifest import libtrust
from regcompat.scenarios import MATRIX_COLUMNS

from .engine.support import empty_history_image


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def manifests(tmp_path):
    image = sample_image()
    payload = image.schema1_payload("demo/app", "latest")
    signed = libtrust.sign(payload, libtrust.TrustKey.from_seed("cli-test"),
                           now=datetime(2016, 2, 9, tzinfo=timezone.utc))
    from regcompat.testing import random_index
    _, index = random_index(seed=2)
    files = {"schema1.json": signed, "schema2.json": image.schema2().raw, "config.json": image.config,
             "garbage.bin": b"\x00not json", "unsigned.json": payload, "list.json": index.raw,
             "oci.json": image.oci().raw, "trailing-newline.json": signed + b"\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path, image, payload


def test_scenario_prints_push_pull_and_outcome():
    code, out, _ = run("scenario", "--push", "1.10", "--registry", "2.3.0", "--pull", "1.9", "--by", "digest")
    assert code == 0
    assert "latest: digest: sha256:" in out and 'unsupported schema version 2 for tag "sha256:' in out
    assert out.rstrip().endswith("outcome: pull failed")


def test_scenario_can_show_exchanges_and_daemon_log():
    code, out, _ = run("scenario", "--push", "1.10", "--registry", "2.1", "--pull", "1.10", "--exchanges")
    assert code == 0
    assert "daemon log: failed to upload schema2 manifest: tag invalid" in out
    assert "PUT /v2/demo/app/manifests/latest -> 400" in out


@pytest.mark.parametrize("argv,message", [(("scenario", "--registry", "9.9"), "unknown registry version '9.9'"),
                                          (("scenario", "--pull", "0.1"), "unknown engine version '0.1'")])
def test_scenario_bad_versions(argv, message):
    code, out, err = run(*argv)
    assert code == 1 and out == "" and err.startswith("regcompat: ") and message in err


def test_matrix_formats():
    code, out, _ = run("matrix", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows == json.loads(json.dumps(rc.compatibility_matrix()))
    code, out, _ = run("matrix", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert tuple(parsed[0]) == MATRIX_COLUMNS and len(parsed) == len(rows)
    code, out, _ = run("matrix")
    lines = out.splitlines()
    assert lines[0].split() == ["pusher", "registry", "puller", "by", "kind", "outcome", "digest",
                                "media_type", "error"]
    assert len(lines) == len(rows) + 1


def test_digest_is_schema1_aware(manifests):
    folder, image, payload = manifests
    assert run("digest", str(folder / "schema1.json"))[1].strip() == rc.Digest(
        "sha256:" + __import__("hashlib").sha256(payload).hexdigest())
    assert run("digest", str(folder / "schema2.json"))[1].strip() == image.schema2().digest


def test_digest_agrees_with_skopeo(manifests):
    skopeo = shutil.which("skopeo")
    if skopeo is None:
        if os.environ.get("CI") == "true":
            pytest.fail("skopeo is required in CI")
        pytest.skip("skopeo not installed")
    folder, _, _ = manifests
    for name in ("schema1.json", "schema2.json", "garbage.bin", "unsigned.json", "list.json", "oci.json",
                 "trailing-newline.json"):
        expected = subprocess.run([skopeo, "manifest-digest", str(folder / name)], capture_output=True,
                                  text=True, check=True).stdout.strip()
        assert run("digest", str(folder / name))[1].strip() == expected, name


def test_digest_of_a_missing_file(tmp_path):
    code, out, err = run("digest", str(tmp_path / "nope.json"))
    assert code == 1 and out == "" and err.startswith("regcompat: ") and "No such file" in err


def test_convert_writes_the_canonical_payload(manifests, capsysbinary):
    folder, image, payload = manifests
    code = main(["convert", str(folder / "schema2.json"), "--config", str(folder / "config.json"),
                 "--name", "demo/app", "--tag", "latest"])
    assert code == 0 and capsysbinary.readouterr().out == payload


def test_convert_errors_are_distributions_messages(manifests, tmp_path):
    folder, _, _ = manifests
    broken = empty_history_image()
    (tmp_path / "m.json").write_bytes(broken.schema2().raw)
    (tmp_path / "c.json").write_bytes(broken.config)
    code, _, err = run("convert", str(tmp_path / "m.json"), "--config", str(tmp_path / "c.json"),
                       "--name", "demo/app", "--tag", "latest")
    assert code == 1 and err == "regcompat: empty history when trying to create schema1 manifest\n"
    code, _, err = run("convert", str(folder / "garbage.bin"), "--config", str(folder / "config.json"),
                       "--name", "demo/app", "--tag", "latest")
    assert code == 1 and err.startswith("regcompat: ")
    code, _, err = run("convert", str(folder / "schema2.json"), "--config", str(folder / "config.json"),
                       "--name", "Demo", "--tag", "latest")
    assert code == 1 and "invalid name 'Demo'" in err


def test_serve_and_lab_call_their_adapters(monkeypatch):
    import regcompat.notebook.lab as lab
    import regcompat.server as server
    calls = []
    monkeypatch.setattr(server, "run", lambda registry, host, port, **kw: calls.append((registry.version, host, port)))
    monkeypatch.setattr(lab, "launch", lambda **kw: calls.append(kw) or 0)
    assert run("serve", "--registry-version", "2.7", "--port", "5055", "--schema1-push")[0] == 0
    assert run("lab", "--no-browser")[0] == 0
    assert run("lab", "mine", "--source", "nb", "--reset", "03", "--port", "8890")[0] == 0
    assert calls == [("2.7", "127.0.0.1", 5055),
                     {"folder": None, "source": None, "reset": None, "port": None, "browser": False},
                     {"folder": "mine", "source": "nb", "reset": "03", "port": 8890, "browser": True}]


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "regcompat.cli", "scenario"], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0 and "outcome: ok" in done.stdout
