"""workspace/executeCommand over stdio: regenerate a wrapper (progress, streamed output,
hand-edit protection with backups), build a crate (rustc diagnostics published and cleared,
stub builds, cancellation, one build at a time), register a library (manifest entry,
satellite), re-index, the code lenses' commands, and multi-root workspaces with folder and
configuration changes."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from backend_fixtures import FAKE_GENERATOR, FIXTURE_SPEC, cmdline, group_pids, write_crate
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import (
    CLIENTS,
    COMMAND_CONFIG,
    cargo_build,
    codes,
    execute,
    progress_titled,
    start,
    start_folders,
    uri,
    wait_codes,
    wait_for,
)


def needs_cargo(test):  # type: ignore[no-untyped-def]
    """Marks a test that builds with cargo (which the tests require; a missing cargo fails)."""
    return test


def _doc(path: Path) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri(path))


def _shown(client: LanguageClient, needle: str) -> list[str]:
    return [m.message for m in client.messages if needle in m.message]


# ----------------------------------------------------------------------------- regenerate

SPEC_REL = Path("my specs/demo lib.wrapper_spec")  # spaces in the directory and the name


@pytest.fixture
def gen_ws(tmp_path: Path) -> Path:
    root = tmp_path / "gen ws"
    (root / SPEC_REL).parent.mkdir(parents=True)
    shutil.copy(FIXTURE_SPEC, root / SPEC_REL)
    (root / "sffi-lsp.toml").write_text("")
    return root


def _generator_options(root: Path) -> dict[str, object]:
    record = root.parent / "generator-argv.jsonl"
    return {"generator": {"command": [sys.executable, str(FAKE_GENERATOR), "${spec}", "--root",
                                      "${workspaceFolder}", "--record", str(record)]},
            "pluginManifest": str(root.parent / "manifest.sdn")}


def _runs(root: Path) -> list[list[str]]:
    record = root.parent / "generator-argv.jsonl"
    return [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []


@pytest_lsp.fixture(config=COMMAND_CONFIG, params=CLIENTS)
async def gen_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, gen_ws: Path):
    await start(lsp_client, request.param, gen_ws, _generator_options(gen_ws))
    yield
    await lsp_client.shutdown_session()


async def test_regenerate_runs_the_generator_with_progress_and_refreshes(gen_client: LanguageClient, gen_ws: Path):
    client = gen_client
    spec = gen_ws / SPEC_REL
    ffi = gen_ws / "src/lib/demo/ffi.spl"
    result = await execute(client, "sffi.regenerateWrapper", {"spec": uri(spec)})
    assert result["ok"], result
    # the configured argv, the spec path with its spaces as one argument, no shell
    assert _runs(gen_ws)[-1][1:] == [str(spec), "--root", str(gen_ws), "--record",
                                     str(gen_ws.parent / "generator-argv.jsonl")]
    assert ffi.is_file() and (gen_ws / ".build/rust/ffi_demo/src/lib.rs").is_file()
    token, values = progress_titled(client, "Regenerating demo lib.wrapper_spec")
    assert isinstance(values[0], lsp.WorkDoneProgressBegin) and isinstance(values[-1], lsp.WorkDoneProgressEnd)
    assert token in client.progress_reports  # created with window/workDoneProgress/create
    logged = [m.message for m in client.log_messages]
    assert f"[generator] Parsing spec: {spec}" in logged
    assert "[generator] Tier 2 generated: src/lib/demo/ffi.spl" in logged
    # the written files were indexed: the generated Tier 2 file has its diagnostics
    await wait_codes(client, ffi, lambda c: "SFFI001" in c and "SFFI010" not in c, "diagnostics of ffi.spl")
    assert str(ffi) in result["changed"]

    # the spec gains a function: ffi.spl is stale (SFFI010); regenerating clears it
    text = spec.read_text()
    spec.write_text(text.replace("methods:\n", "    - name: demo_reset\n      cpp_fn: \"demo::reset\"\n"
                                               "      params: []\n      return: i64\nmethods:\n"))
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(spec), type=lsp.FileChangeType.Changed)]))
    await wait_codes(client, ffi, lambda c: "SFFI010" in c, "SFFI010 on the stale ffi.spl")
    result = await execute(client, "sffi.regenerateWrapper", {"spec": str(spec)})  # a plain path works too
    assert result["ok"], result
    assert client.message_requests == []  # nothing edited by hand: no question
    await wait_codes(client, ffi, lambda c: "SFFI010" not in c, "SFFI010 to clear after regeneration")
    assert "rt_demo_reset" in ffi.read_text()


async def test_regenerate_protects_hand_edits(gen_client: LanguageClient, gen_ws: Path):
    client = gen_client
    spec = gen_ws / SPEC_REL
    ffi = gen_ws / "src/lib/demo/ffi.spl"
    assert (await execute(client, "sffi.regenerateWrapper", {"spec": uri(spec)}))["ok"]
    generated = ffi.read_text()
    edited = generated + "extern fn rt_demo_by_hand() -> i64\n"
    ffi.write_text(edited)
    runs = len(_runs(gen_ws))

    client.message_answer = "Cancel"  # "no"
    result = await execute(client, "sffi.regenerateWrapper", {"spec": uri(spec)})
    assert result["ok"] is False and result["changed"] == [] and result["backup"] is None
    question = client.message_requests[-1]
    assert question.message.startswith("Regenerating demo lib.wrapper_spec overwrites hand edits in "
                                       "src/lib/demo/ffi.spl. They will be backed up to ")
    assert [a.title for a in question.actions] == ["Regenerate", "Cancel"]
    assert ffi.read_text() == edited
    assert len(_runs(gen_ws)) == runs  # the generator did not run

    client.message_answer = "Regenerate"  # "yes"
    result = await execute(client, "sffi.regenerateWrapper", {"spec": uri(spec)})
    assert result["ok"], result
    assert len(client.message_requests) == 2 and len(_runs(gen_ws)) == runs + 1
    backup = Path(result["backup"])
    assert backup.parent.name == "backups" and backup.is_relative_to(gen_ws.parent / "cache")
    assert str(backup.parent) in client.message_requests[-1].message  # the question named the backup dir
    assert _shown(client, f"edited files backed up to {backup}")
    assert (backup / "src/lib/demo/ffi.spl").read_text() == edited
    assert ffi.read_text() == generated


async def test_code_lenses_run_their_commands(gen_client: LanguageClient, gen_ws: Path):
    client = gen_client
    spec = gen_ws / SPEC_REL
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=_doc(spec)))
    assert [lens.command.title for lens in lenses] == ["Regenerate wrapper", "Build library"]
    regenerate, build = (lens.command for lens in lenses)
    assert (await execute(client, regenerate.command, *regenerate.arguments))["ok"]
    ffi = gen_ws / "src/lib/demo/ffi.spl"
    await wait_codes(client, ffi, lambda c: "SFFI001" in c, "diagnostics of the generated ffi.spl")
    for generated in (ffi, gen_ws / "src/lib/demo/mod.spl", gen_ws / ".build/rust/ffi_demo/src/lib.rs"):
        found = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=_doc(generated)))
        assert [lens.command.title for lens in found] == ["Regenerate from my specs/demo lib.wrapper_spec"], generated
    lens = found[0].command
    result = await execute(client, lens.command, *lens.arguments)
    assert result["ok"] and result["message"] == "regenerated 0 file(s)"
    if shutil.which("cargo") is None:
        return
    result = await execute(client, build.command, *build.arguments)
    assert result["ok"], result
    assert [Path(a).name for a in result["artifacts"]] == ["libsimple_demo.so"]
    # the library was indexed: the generated externs are defined now (not loadable: SFFI007)
    await wait_codes(client, ffi, lambda c: "SFFI001" not in c and "SFFI007" in c, "SFFI001 to clear")


# ----------------------------------------------------------------------------- build

BROKEN_LIB_RS = """#[no_mangle]
pub extern "C" fn rt_x_f(a: i64) -> i64 {
    let s: i64 = "not a number";
    a + s
}
"""
FIXED_LIB_RS = BROKEN_LIB_RS.replace('"not a number"', "1")
MANIFEST = """plugins:
    -
        name: x
        library: ../.build/rust/ffi_x/target/release/libsimple_x_ffi.so
        functions: [rt_x_f]
"""
STUB_CARGO = """[package]
name = "simple-s-ffi"
version = "0.1.0"
edition = "2021"
build = "build.rs"

[lib]
name = "simple_s_ffi"
crate-type = ["cdylib"]

[features]
default = ["stub"]
stub = []

[dependencies]

[workspace]
"""
STUB_BUILD_RS = 'fn main() {\n    println!("cargo:warning=Sdemo not found - building in stub mode (no acceleration)");\n}\n'
SLOW_BUILD_RS = "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(30));\n}\n"


@pytest.fixture
def build_ws(tmp_path: Path) -> Path:
    root = tmp_path / "build ws"
    write_crate(root / ".build/rust/ffi_x", "simple-x-ffi", BROKEN_LIB_RS)
    write_crate(root / ".build/rust/ffi_slow", "simple-slow-ffi", "", SLOW_BUILD_RS)
    stub = root / ".build/rust/ffi_s"
    (stub / "src").mkdir(parents=True)
    (stub / "Cargo.toml").write_text(STUB_CARGO)
    (stub / "build.rs").write_text(STUB_BUILD_RS)
    (stub / "src/lib.rs").write_text("#[no_mangle]\npub extern \"C\" fn rt_s_f() -> i64 {\n    0\n}\n")
    (root / "src/lib/x").mkdir(parents=True)
    (root / "src/lib/x/ffi.spl").write_text("extern fn rt_x_f(a: i64) -> i64\n")
    (root / "plugins").mkdir()
    (root / "plugins/manifest.sdn").write_text(MANIFEST)
    (root / "sffi-lsp.toml").write_text("")
    return root


@pytest_lsp.fixture(config=COMMAND_CONFIG, params=CLIENTS)
async def build_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, build_ws: Path):
    await start(lsp_client, request.param, build_ws,
                {"pluginManifest": "plugins/manifest.sdn", "cargo": {"extraArgs": ["--offline"]}})
    yield
    await lsp_client.shutdown_session()


@needs_cargo
async def test_build_publishes_rustc_errors_and_clears_them(build_client: LanguageClient, build_ws: Path):
    client = build_client
    crate = build_ws / ".build/rust/ffi_x"
    lib_rs = crate / "src/lib.rs"
    ffi = build_ws / "src/lib/x/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI001"], "SFFI001 before the build")
    result = await execute(client, "sffi.buildLibrary", {"crate": uri(crate)})
    assert result["ok"] is False and result["errors"] >= 1
    await wait_for(lambda: client.diagnostics.get(uri(lib_rs)), "diagnostics on lib.rs")
    [error] = [d for d in client.diagnostics[uri(lib_rs)] if d.severity == lsp.DiagnosticSeverity.Error]
    assert (error.code, error.source) == ("E0308", "cargo")
    assert error.range.start.line == 2  # `let s: i64 = "not a number";`
    assert "mismatched types" in error.message
    _, values = progress_titled(client, "Building ffi_x")
    assert values[0].cancellable is True and isinstance(values[-1], lsp.WorkDoneProgressEnd)
    logged = "\n".join(m.message for m in client.log_messages)
    assert "error[E0308]: mismatched types" in logged  # cargo's rendered message, in the log
    assert _shown(client, "ffi_x: build failed: 1 error(s)")

    lib_rs.write_text(FIXED_LIB_RS)
    result = await execute(client, "sffi.buildLibrary", {"crate": str(crate / "Cargo.toml")})
    assert result["ok"], result
    assert result["artifacts"] == [str(crate / "target/release/libsimple_x_ffi.so")]
    reports = [v.message for vs in client.progress_reports.values() for v in vs
               if isinstance(v, lsp.WorkDoneProgressReport) and v.message]
    assert "1 crate compiled" in reports
    await wait_for(lambda: not client.diagnostics[uri(lib_rs)], "rustc diagnostics to clear")
    # the built library was indexed: the declaration resolves
    await wait_codes(client, ffi, lambda c: c == [], "SFFI001 to clear after the build")


@needs_cargo
async def test_a_stub_build_reports_sffi009(build_client: LanguageClient, build_ws: Path):
    client = build_client
    crate = build_ws / ".build/rust/ffi_s"
    assert "SFFI009" not in codes(client, crate / "Cargo.toml")
    result = await execute(client, "sffi.buildLibrary", {"crate": str(crate)})
    assert result["ok"] and result["message"].endswith("(stub mode)"), result
    await wait_codes(client, crate / "Cargo.toml", lambda c: "SFFI009" in c, "SFFI009 after a stub build")
    [diag] = [d for d in client.diagnostics[uri(crate / "Cargo.toml")] if d.code == "SFFI009"]
    assert "its last build printed the stub-mode warning" in diag.message


@needs_cargo
async def test_a_build_is_cancelled_and_a_second_one_refused(build_client: LanguageClient, build_ws: Path):
    client = build_client
    crate = build_ws / ".build/rust/ffi_slow"
    started = time.monotonic()
    running = asyncio.ensure_future(execute(client, "sffi.buildLibrary", {"crate": str(crate)}))
    needle = f"[cargo] started cargo build in {crate} (pid "
    await wait_for(lambda: any(m.message.startswith(needle) for m in client.log_messages), "cargo to start", 60)
    line = next(m.message for m in client.log_messages if m.message.startswith(needle))
    pgid = int(line[len(needle):].split(",")[0])
    # wait until the build script sleeps (compiled and running, in cargo's process group)
    await wait_for(lambda: any("build-script-build" in cmdline(p) for p in group_pids(pgid)),
                   "the build script to run", 60)

    second = await execute(client, "sffi.buildLibrary", {"crate": str(crate)})
    assert second["ok"] is False and "already running" in second["message"]
    assert _shown(client, "a build of .build/rust/ffi_slow is already running")

    token, values = progress_titled(client, "Building ffi_slow")
    assert values[0].cancellable is True
    assert token in client.progress_reports  # created with window/workDoneProgress/create
    cancelled_at = time.monotonic()
    client.protocol.notify(lsp.WINDOW_WORK_DONE_PROGRESS_CANCEL, lsp.WorkDoneProgressCancelParams(token=token))
    result = await asyncio.wait_for(running, 15)
    assert time.monotonic() - cancelled_at < 10 and time.monotonic() - started < 29
    assert result["cancelled"] is True and result["ok"] is False
    assert group_pids(pgid) == []  # cargo, rustc and the sleeping build script are gone
    assert _shown(client, "build of .build/rust/ffi_slow cancelled")
    assert isinstance(client.progress_reports[token][-1], lsp.WorkDoneProgressEnd)


# ----------------------------------------------------------------------------- register, reindex

REGISTER_LIB_RS = """#[no_mangle]
pub extern "C" fn rt_x_f(a: i64) -> i64 {
    a + 1
}

#[no_mangle]
pub extern "C" fn rt_ts_parse(a: i64) -> i64 {
    a
}
"""


@pytest.fixture(scope="session")
def built_x(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose crate (exporting rt_x_f and rt_ts_parse) is built (a template)."""
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not installed: the tests build real crates with it")
    root = tmp_path_factory.mktemp("built-x") / "ws"
    crate = write_crate(root / ".build/rust/ffi_x", "simple-x-ffi", REGISTER_LIB_RS)
    cargo_build(crate)
    (root / "src/lib/x").mkdir(parents=True)
    (root / "src/lib/x/ffi.spl").write_text("extern fn rt_x_f(a: i64) -> i64\nextern fn rt_ts_parse(a: i64) -> i64\n")
    (root / "sffi-lsp.toml").write_text("")
    return root


@pytest.fixture
def reg_ws(built_x: Path, tmp_path: Path) -> Path:
    root = tmp_path / "reg ws"
    shutil.copytree(built_x, root)
    return root


@pytest_lsp.fixture(config=COMMAND_CONFIG, params=CLIENTS)
async def reg_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, reg_ws: Path):
    manifest = reg_ws.parent / "home plugins" / "manifest.sdn"  # outside the workspace, not there yet
    await start(lsp_client, request.param, reg_ws, {"pluginManifest": str(manifest)})
    yield
    await lsp_client.shutdown_session()


LIBRARY = Path(".build/rust/ffi_x/target/release/libsimple_x_ffi.so")


def _codes_by_line(client: LanguageClient, path: Path) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for d in client.diagnostics.get(uri(path), []):
        found.setdefault(d.range.start.line, []).append(str(d.code))
    return found


async def test_register_writes_the_manifest_and_clears_sffi007(reg_client: LanguageClient, reg_ws: Path):
    client = reg_client
    ffi = reg_ws / "src/lib/x/ffi.spl"
    manifest = reg_ws.parent / "home plugins" / "manifest.sdn"
    await wait_codes(client, ffi, lambda c: c == ["SFFI007", "SFFI007"], "SFFI007 before registering")
    result = await execute(client, "sffi.registerLibrary", {"library": uri(reg_ws / LIBRARY)})
    assert result["ok"] and result["changed"] and result["path"] == str(manifest), result
    text = manifest.read_text()
    assert "name: x" in text and str((reg_ws / LIBRARY).resolve()) in text
    assert "rt_x_f" in text and "rt_ts_parse" in text  # the declared exports
    assert _shown(client, f"{manifest}: added entry 'x'")
    assert [d.uri for d in client.shown_documents] == [uri(manifest)]
    await wait_codes(client, ffi, lambda c: c == [], "SFFI007 to clear after registering")
    again = await execute(client, "sffi.registerLibrary", {"library": str(reg_ws / LIBRARY)})
    assert again["ok"] and again["changed"] is False and manifest.read_text() == text


async def test_register_as_a_satellite(reg_client: LanguageClient, reg_ws: Path):
    client = reg_client
    ffi = reg_ws / "src/lib/x/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI007", "SFFI007"], "SFFI007 before registering")
    result = await execute(client, "sffi.registerLibrary",
                           {"library": uri(reg_ws / LIBRARY), "mode": "satellite", "prefix": "ts"})
    satellite = reg_ws / "build/libspl_ts.so"
    assert result["ok"] and result["path"] == str(satellite), result
    assert satellite.read_bytes() == (reg_ws / LIBRARY).read_bytes()
    assert _shown(client, f"installed libsimple_x_ffi.so as {satellite}")
    # rt_ts_parse is loadable from libspl_ts.so now; rt_x_f still is not
    await wait_for(lambda: _codes_by_line(client, ffi) == {0: ["SFFI007"]},
                   f"SFFI007 of rt_ts_parse to clear (now {_codes_by_line(client, ffi)})")


async def test_reindex_picks_up_what_changed_without_events(reg_client: LanguageClient, reg_ws: Path, built_x: Path):
    client = reg_client
    ffi = reg_ws / "src/lib/x/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI007", "SFFI007"], "SFFI007 first")
    library = reg_ws / LIBRARY
    library.unlink()
    (reg_ws / "src/lib/x/more.spl").write_text("extern fn rt_x_more() -> i64\n")
    result = await execute(client, "sffi.reindex")
    assert result == {"ok": True, "message": "re-indexed 1 folder(s)"}
    await wait_codes(client, ffi, lambda c: c == ["SFFI001", "SFFI001"], "SFFI001 once the library is gone")
    await wait_codes(client, reg_ws / "src/lib/x/more.spl", lambda c: c == ["SFFI001"], "the new file")
    shutil.copy(built_x / LIBRARY, library)  # back on disk, no watcher event
    await execute(client, "sffi.reindex")
    await wait_codes(client, ffi, lambda c: c == ["SFFI007", "SFFI007"], "the library found again")


# ----------------------------------------------------------------------------- multi-root


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    a, b, c = tmp_path / "folder a", tmp_path / "folder b", tmp_path / "folder c"
    (a / "src").mkdir(parents=True)
    (a / "src/a.spl").write_text("extern fn plain_a() -> i64\nextern fn rt_shared(x: i64) -> i64\n")
    (b / "src").mkdir(parents=True)
    # calls rt_shared, which only folder a declares: SFFI012 here when the projects stay apart
    (b / "src/b.spl").write_text("fn use_it() -> i64:\n    rt_shared(1)\n")
    (c / "src").mkdir(parents=True)
    (c / "src/c.spl").write_text("extern fn plain_c() -> i64\n")
    for root in (a, b, c):
        (root / "sffi-lsp.toml").write_text("")
    return a, b, c


@pytest_lsp.fixture(config=COMMAND_CONFIG, params=CLIENTS)
async def multi_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, folders: tuple[Path, Path, Path]):
    await start_folders(lsp_client, request.param, folders[:2])
    yield
    await lsp_client.shutdown_session()


async def test_multi_root_folders_and_configuration(multi_client: LanguageClient, folders: tuple[Path, Path, Path]):
    client = multi_client
    a, b, c = folders
    await wait_codes(client, a / "src/a.spl", lambda x: x == ["SFFI001", "SFFI001", "SFFI002"], "folder a")
    await wait_codes(client, b / "src/b.spl", lambda x: x == ["SFFI012"], "folder b")

    client.workspace_did_change_workspace_folders(lsp.DidChangeWorkspaceFoldersParams(
        event=lsp.WorkspaceFoldersChangeEvent(added=[lsp.WorkspaceFolder(uri=uri(c), name=c.name)], removed=[])))
    await wait_codes(client, c / "src/c.spl", lambda x: x == ["SFFI001", "SFFI002"], "the added folder's diagnostics")

    client.set_configuration({"ignore": ["SFFI002"]}, section="sffi")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"sffi": {"ignore": ["SFFI002"]}}))
    await wait_codes(client, a / "src/a.spl", lambda x: x == ["SFFI001", "SFFI001"], "SFFI002 gone in a")
    await wait_codes(client, c / "src/c.spl", lambda x: x == ["SFFI001"], "SFFI002 gone in c")
    assert codes(client, b / "src/b.spl") == ["SFFI012"]

    client.workspace_did_change_workspace_folders(lsp.DidChangeWorkspaceFoldersParams(
        event=lsp.WorkspaceFoldersChangeEvent(added=[], removed=[lsp.WorkspaceFolder(uri=uri(b), name=b.name)])))
    await wait_codes(client, b / "src/b.spl", lambda x: x == [], "a removed folder's diagnostics to clear")


@pytest_lsp.fixture(config=COMMAND_CONFIG, params=CLIENTS[:1])
async def slow_gen_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, gen_ws: Path):
    # A generator that takes its time: the second request arrives while it runs.
    slow = [sys.executable, "-c", "import sys, time; time.sleep(3)", "${spec}"]
    await start(lsp_client, request.param, gen_ws, {"generator": {"command": slow}})
    yield
    await lsp_client.shutdown_session()


async def test_a_second_regeneration_while_one_runs_is_refused(slow_gen_client: LanguageClient, gen_ws: Path):
    spec = uri(gen_ws / SPEC_REL)
    first = asyncio.ensure_future(execute(slow_gen_client, "sffi.regenerateWrapper", {"spec": spec}))
    await asyncio.sleep(1.0)
    second = await execute(slow_gen_client, "sffi.regenerateWrapper", {"spec": spec})
    assert second["ok"] is False
    assert "the generator is already running" in second["message"]
    assert (await first)["ok"] is True
