"""The fault matrix (tests/faults.yaml): each bad input gets one clear line, the documented exit
code, no traceback, no half-written output, and nothing of the user's changed or deleted.

The observed exit codes and first lines are written to tests/artifacts/faults.md for review.
"""

from __future__ import annotations

import ast
import hashlib
import os
import resource
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from kg.stores.serve import free_port
from support import DATA, KG, ROOT

CASES = yaml.safe_load((ROOT / "tests" / "faults.yaml").read_text(encoding="utf-8"))
ARTIFACTS = ROOT / "tests" / "artifacts"
OBSERVED: dict[str, tuple[str, int, str]] = {}


def test_every_case_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    keys = {"id", "run", "exit", "message", "files", "bytes", "replace", "append", "before",
            "env", "stdin", "serve", "limit_file_size", "stdout_file", "interrupt_after",
            "concurrent", "changes", "unchanged", "creates"}
    for case in CASES:
        assert set(case) <= keys, (case["id"], set(case) - keys)
        assert {"id", "run", "exit"} <= set(case), case["id"]
        assert case["exit"] == 0 or case.get("message"), case["id"]


def checksums(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256), or {} for a missing root."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def everything(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def edit(case: dict, folder: Path) -> None:
    for path, text in (case.get("files") or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    for path, literal in (case.get("bytes") or {}).items():
        (folder / path).write_bytes(ast.literal_eval(literal))
    for path, pairs in (case.get("replace") or {}).items():
        text = (folder / path).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{case['id']}: {old!r} is not in {path}"
            text = text.replace(old, new, 1)
        (folder / path).write_text(text, encoding="utf-8")
    for path, text in (case.get("append") or {}).items():
        with open(folder / path, "a", encoding="utf-8") as handle:
            handle.write(text)


def args_of(command: str, ports: dict[str, int]) -> list[str]:
    for name, port in ports.items():
        command = command.replace("{" + name + "}", str(port))
    words = shlex.split(command)
    assert words[0] == "kg"
    return [KG, *words[1:]]


def limits(case: dict):
    size = case.get("limit_file_size")

    def apply() -> None:
        # Ctrl-C as a terminal delivers it, even when the suite itself was started in the
        # background, where the shell ignores SIGINT and every child inherits that
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if size is not None:  # a file may grow to `size` bytes: a disk that is full
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def run_case(case: dict, folder: Path, env: dict, ports: dict) -> subprocess.CompletedProcess:
    args = args_of(case["run"], ports)
    stdout = open(case["stdout_file"], "w") if case.get("stdout_file") else subprocess.PIPE
    process = None
    try:
        if case.get("concurrent"):
            processes = [subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True)
                         for _ in range(case["concurrent"])]
            done = [(p, *p.communicate(timeout=300)) for p in processes]
            codes = sorted(p.returncode for p, _, _ in done)
            assert codes.count(0) == 1, f"{case['id']}: exit codes {codes}"
            (failed, out, err), *_ = [d for d in done if d[0].returncode != 0]
            return subprocess.CompletedProcess(args, failed.returncode, out, err)
        process = subprocess.Popen(args, cwd=folder, env=env, stdout=stdout,
                                   stderr=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
                                   preexec_fn=limits(case))
        if case.get("interrupt_after"):
            time.sleep(case["interrupt_after"])
            assert process.poll() is None, f"{case['id']}: ended before the interrupt"
            process.send_signal(signal.SIGINT)
            start = time.monotonic()
            out, err = process.communicate(timeout=30)
            assert time.monotonic() - start < 1.5, f"{case['id']}: Ctrl-C took too long"
        else:
            out, err = process.communicate(case.get("stdin"), timeout=300)
        return subprocess.CompletedProcess(args, process.returncode, out, err)
    finally:
        if process is not None and process.poll() is None:
            process.kill()  # a case that failed leaves no process running behind it
            process.wait()
        if stdout is not subprocess.PIPE:
            stdout.close()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fault(case: dict, built: Path, tmp_path: Path):
    folder = tmp_path / "work"
    shutil.copytree(DATA, folder / "data")
    shutil.copytree(built, folder / "kg-build")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_CACHE": os.environ.get("KG_CACHE", ""), **(case.get("env") or {})})
    ports = {"port": free_port(), "dead": free_port()}
    for command in case.get("before") or []:
        done = subprocess.run(args_of(command, ports), cwd=folder, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{case['id']}: {command}: {done.stderr}"
    edit(case, folder)
    watched = {name: checksums(folder / name) for name in
               case.get("unchanged", ["data", "kg-build"]) if name not in case.get("changes", [])}
    before = everything(folder)
    server = None
    if case.get("serve"):
        server = subprocess.Popen(args_of(case["serve"], ports), cwd=folder, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert "serving" in server.stdout.readline(), server.stderr.read()
    try:
        result = run_case(case, folder, env, ports)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    first = (result.stderr.strip().splitlines() or [""])[0]
    OBSERVED[case["id"]] = (case["run"], result.returncode, first)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == case["exit"], result.stderr
    if case["exit"] != 0:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert first.startswith("error: "), first
        assert case["message"] in first, first
        if not case.get("stdout_file") and case["exit"] != 130:
            assert not result.stdout, result.stdout  # nothing half-written on stdout
    for name, sums in watched.items():
        assert checksums(folder / name) == sums, f"{case['id']}: {name}/ changed"
    allowed = set(case.get("creates", [])) | set(case.get("changes", []))
    new = {p for p in everything(folder) - before
           if not any(p == a or p.startswith(a + "/") for a in allowed)}
    assert not new, f"{case['id']}: left behind {sorted(new)}"


def test_an_unexpected_exception_is_reported_as_a_bug(monkeypatch, capsys):
    """Exit code 70 with one line saying it is a bug; KG_DEBUG=1 shows the traceback."""
    import kg.cli as cli

    def broken(*_args, **_kwargs):
        raise RuntimeError("something we did not think of")

    monkeypatch.setattr("kg.api.Graph.__init__", lambda self, path=None: None)
    monkeypatch.setattr("kg.api.Graph.validate", broken)
    monkeypatch.delenv("KG_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        cli.main(["validate"])
    assert caught.value.code == 70
    err = capsys.readouterr().err
    assert err.startswith("error: internal error (a bug in kg): RuntimeError: something we")
    assert "KG_DEBUG=1" in err and "Traceback" not in err and len(err.splitlines()) == 1
    monkeypatch.setenv("KG_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["validate"])


@pytest.fixture(scope="module", autouse=True)
def _observed_table():
    """After the cases ran: tests/artifacts/faults.md, each case with the exit code and first
    line observed, for review."""
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    lines = ["| case | command | exit | first line of stderr |", "|---|---|---|---|"]
    for case in CASES:
        command, code, first = OBSERVED.get(case["id"], (case["run"], "not run", ""))
        cell = first.replace("|", "\\|")
        lines.append(f"| {case['id']} | `{command}` | {code} | {cell} |")
    (ARTIFACTS / "faults.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
