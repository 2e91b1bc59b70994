"""End to end in a real headless Neovim: editors/neovim on the runtimepath, the real
`sffi-lsp serve` on the built demo workspace; diagnostics, hover and a quick fix.

The Lua side writes its observations as JSON to a file; nothing is parsed from nvim's
output. Needs `nvim` (CI installs Debian's neovim): the test fails, not skips, without it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Ends each Lua script: run main(), write the results R as JSON to RESULT, quit Neovim.
LUA_RUN_AND_REPORT = """
local ok, err = xpcall(main, debug.traceback)
if not ok then R.error = tostring(err) end
local f = assert(io.open(RESULT, 'w'))
f:write(vim.fn.json_encode(R))
f:close()
vim.cmd('qall!')
"""

REPO = Path(__file__).resolve().parent.parent
PLUGIN = REPO / "editors" / "neovim"
LEGACY = Path("src/app/legacy_ffi.spl")
NVIM_TIMEOUT = 300  # seconds for the whole nvim run; the Lua waits are shorter

INIT_LUA = """
vim.opt.runtimepath:prepend({plugin})
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
require('sffi_lsp').setup({{
  cmd = {cmd},
  -- one invalid setting: its error must pop up once
  settings = {{ sffi = {{ cacheDir = {cache}, diagnostics = {{ debounceMs = 0 }}, severity = {{ SFFI001 = 'loud' }} }} }},
}})
"""

# Runs after startup (`-c luafile`); every step records into `R`, which is written as
# JSON to RESULT whatever happens, then Neovim quits.
TEST_LUA = r"""
local RESULT = %(result)s
local FILE = %(file)s
local SPEC = %(spec)s
local R = { nvim = vim.version(), steps = {}, publishes = {}, shown = {}, pulls = 0 }

-- Count what arrives: every publishDiagnostics (per URI, with its size) and every shown message.
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  table.insert(R.publishes, { uri = result.uri, n = #result.diagnostics })
  return publish(err, result, ctx, config)
end
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  table.insert(R.shown, result.message)
  return show_message(err, result, ctx, config)
end

local function codes_of(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out, { code = tostring(code), line = d.lnum + 1, col = d.col + 1, message = d.message })
  end
  table.sort(out, function(a, b)
    if a.line ~= b.line then return a.line < b.line end
    return a.code < b.code
  end)
  return out
end

-- The clients attached to a buffer (vim.lsp.get_clients is 0.10+, buf_get_clients older).
local function clients_of(bufnr)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = bufnr }) end
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do table.insert(out, c) end
  return out
end

local function has_code(bufnr, code)
  for _, d in ipairs(codes_of(bufnr)) do
    if d.code == code then return true end
  end
  return false
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  R.filetype = vim.bo[bufnr].filetype

  -- The client attached by the FileType autocmd.
  local client
  vim.wait(30000, function()
    client = clients_of(bufnr)[1]
    return client ~= nil
  end, 50)
  if client == nil then error('no LSP client attached to ' .. FILE) end
  R.client = { name = client.name, root_dir = client.config.root_dir }
  table.insert(R.steps, 'attached')

  -- Diagnostics: wait for the last expected code, then until the set stops changing.
  local ok = vim.wait(180000, function() return has_code(bufnr, 'SFFI012') and has_code(bufnr, 'SFFI004') end, 100)
  R.diagnostics_timed_out = not ok
  local last, stable_since = vim.inspect(codes_of(bufnr)), vim.loop.now()
  vim.wait(3000, function()
    local now = vim.inspect(codes_of(bufnr))
    if now ~= last then last, stable_since = now, vim.loop.now() end
    return vim.loop.now() - stable_since > 1000
  end, 100)
  R.diagnostics = codes_of(bufnr)
  R.namespaces = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do R.namespaces[tostring(d.namespace)] = true end
  R.uri = vim.uri_from_bufnr(bufnr)
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  R.diagnostic_provider = caps.diagnosticProvider ~= nil
  R.publishes_at_diagnostics = vim.deepcopy(R.publishes)
  table.insert(R.steps, 'diagnostics')

  -- Hover on the `rt_bitset_resize` declaration name (line 16).
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local hover_line, hover_col
  for i, text in ipairs(lines) do
    local s = text:find('extern fn rt_bitset_resize', 1, true)
    if s then hover_line, hover_col = i - 1, s - 1 + #'extern fn ' + 3 end
  end
  R.hover_position = { line = hover_line, character = hover_col }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = hover_line, character = hover_col },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 60000)
  R.hover_error = err and tostring(err) or nil
  R.hover = nil
  for _, resp in pairs(responses or {}) do
    if resp.error then R.hover_error = vim.inspect(resp.error) end
    local contents = resp.result and resp.result.contents
    if type(contents) == 'table' then
      R.hover = contents.value or vim.inspect(contents)
    elseif type(contents) == 'string' then
      R.hover = contents
    end
  end
  table.insert(R.steps, 'hover')

  -- Code actions for the `extern type BitsetRef` diagnostic (SFFI004).
  local diag
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if tostring(code) == 'SFFI004' then diag = d end
  end
  if diag == nil then error('no SFFI004 diagnostic to fix') end
  local range = {
    start = { line = diag.lnum, character = diag.col },
    ['end'] = { line = diag.end_lnum or diag.lnum, character = diag.end_col or diag.col },
  }
  local lsp_diag = {
    range = range, message = diag.message, code = 'SFFI004', source = diag.source,
    severity = diag.severity,
  }
  local ca_params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = { lsp_diag } },
  }
  local ca_responses, ca_err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', ca_params, 60000)
  R.code_action_error = ca_err and tostring(ca_err) or nil
  R.code_actions = {}
  local fix
  for _, resp in pairs(ca_responses or {}) do
    if resp.error then R.code_action_error = vim.inspect(resp.error) end
    for _, action in ipairs(resp.result or {}) do
      local for_code = false
      for _, d in ipairs(action.diagnostics or {}) do
        if d.code == 'SFFI004' then for_code = true end
      end
      table.insert(R.code_actions, { title = action.title, kind = action.kind or '', has_edit = action.edit ~= nil,
                                     for_sffi004 = for_code })
      if fix == nil and action.edit ~= nil and for_code then fix = action end
    end
  end
  table.insert(R.steps, 'code_actions')

  if fix ~= nil then
    -- 0.7 takes (edit, offset_encoding) and warns without the encoding; older took (edit).
    vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
    R.applied = fix.title
    R.buffer_after_fix = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    table.insert(R.steps, 'applied')
    -- The edit reaches the server as didChange; SFFI004 should go away.
    R.sffi004_cleared = vim.wait(60000, function() return not has_code(bufnr, 'SFFI004') end, 100)
    R.diagnostics_after_fix = codes_of(bufnr)
  end

  -- The spec file: its filetype, and the same client (one per workspace root).
  vim.cmd('edit ' .. vim.fn.fnameescape(SPEC))
  local spec_buf = vim.api.nvim_get_current_buf()
  R.spec_filetype = vim.bo[spec_buf].filetype
  vim.wait(10000, function() return #clients_of(spec_buf) > 0 end, 50)
  R.spec_clients = {}
  for _, c in ipairs(clients_of(spec_buf)) do table.insert(R.spec_clients, c.id) end
  R.client_id = client.id
end

""" + LUA_RUN_AND_REPORT


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here (ASCII paths)


def _lua_list(values: list[str]) -> str:
    return "{ " + ", ".join(_lua_string(v) for v in values) + " }"


def _check_findings(root: Path) -> list[tuple[str, int, int]]:
    """`sffi-lsp check --format json` for the legacy file: (code, line, column)."""
    proc = subprocess.run(
        [sys.executable, "-m", "sffi_lsp", "check", str(LEGACY), "--format", "json"],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((f["code"], f["line"], f["column"]) for f in json.loads(proc.stdout)
                  if Path(f["path"]) == LEGACY)


def _run_nvim(tmp_path: Path, root: Path) -> dict[str, Any]:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim is not installed: the Neovim end-to-end test needs it "
                    "(Debian: apt-get install neovim; .ci/run installs it)")
    result = tmp_path / "nvim-result.json"
    init = tmp_path / "init.lua"
    init.write_text(INIT_LUA.format(
        plugin=_lua_string(str(PLUGIN)),
        cmd=_lua_list([sys.executable, "-m", "sffi_lsp", "serve"]),
        cache=_lua_string(str(tmp_path / "sffi-cache")),
    ))
    script = tmp_path / "test.lua"
    script.write_text(TEST_LUA % {"result": _lua_string(str(result)), "file": _lua_string(str(root / LEGACY)),
                                      "spec": _lua_string(str(root / "bitset.wrapper_spec"))})
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
           "XDG_STATE_HOME": str(tmp_path / "xdg-state"), "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
           "NVIM_LOG_FILE": str(tmp_path / "nvim.log")}
    env.pop("NVIM", None)
    env.pop("NVIM_LISTEN_ADDRESS", None)
    proc = subprocess.Popen(
        [nvim, "--headless", "--clean", "-u", str(init), "-c", f"luafile {script}"],
        cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=NVIM_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)  # nvim and the server it started
        output, _ = proc.communicate()
        pytest.fail(f"nvim did not finish in {NVIM_TIMEOUT}s; output:\n{output.decode(errors='replace')[-4000:]}"
                    f"\nLSP log:\n{_lsp_log(tmp_path)}")
    finally:
        _kill_group(proc.pid)  # a server nvim failed to stop
    if not result.exists():
        pytest.fail(f"nvim exited {proc.returncode} without writing {result}; output:\n"
                    f"{output.decode(errors='replace')[-4000:]}\nLSP log:\n{_lsp_log(tmp_path)}")
    data: dict[str, Any] = json.loads(result.read_text())
    data["_lsp_log"] = _lsp_log(tmp_path)
    return data


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _lsp_log(tmp_path: Path) -> str:
    logs = list((tmp_path / "xdg-cache").rglob("lsp.log")) + list((tmp_path / "xdg-state").rglob("lsp.log"))
    return "\n".join(p.read_text(errors="replace")[-4000:] for p in logs) or "(none)"


def test_neovim_diagnostics_hover_and_quick_fix(built_demo: Path, tmp_path: Path) -> None:
    expected = _check_findings(built_demo)
    assert sorted((line, code) for code, line, _ in expected) == [
        (5, "SFFI004"), (10, "SFFI001"), (12, "SFFI003"), (14, "SFFI002"), (16, "SFFI005"), (19, "SFFI006"),
        (26, "SFFI012")]

    r = _run_nvim(tmp_path, built_demo)
    context = f"\nsteps: {r.get('steps')}\nLSP log:\n{r['_lsp_log']}"
    assert "error" not in r, r["error"] + context
    assert r["filetype"] == "simple"
    assert r["client"]["name"] == "sffi-lsp"
    assert Path(r["client"]["root_dir"]) == built_demo  # the directory holding sffi-lsp.toml

    # Diagnostics: exactly what `sffi-lsp check` reports for the file, at the same lines.
    assert not r["diagnostics_timed_out"], f"diagnostics never arrived: {r['diagnostics']}" + context
    got = sorted((d["code"], d["line"], d["col"]) for d in r["diagnostics"])
    assert got == expected, context
    assert {d["code"] for d in r["diagnostics"]} == {
        "SFFI001", "SFFI002", "SFFI003", "SFFI004", "SFFI005", "SFFI006", "SFFI012"}

    # Each diagnostic arrives once: pushed only (no pull provider offered to 0.7), in one
    # namespace, and the last push for the file holds each finding once.
    assert r["diagnostic_provider"] is False
    assert len(r["namespaces"]) == 1, r["namespaces"]
    pushes = [p for p in r["publishes_at_diagnostics"] if p["uri"] == r["uri"]]
    assert pushes and all(p["n"] <= len(expected) for p in pushes), pushes
    assert pushes[-1]["n"] == len(expected) == len(r["diagnostics"])

    # The invalid setting pops up once (not once per source of settings, not per re-index).
    assert r["shown"] == ["sffi-lsp settings: setting 'severity.SFFI001' must be one of error, warning, "
                          "information, hint, off"], r["shown"]

    # Hover on the declaration name shows the native Rust signature.
    assert r["hover_position"] == {"line": 15, "character": 13}
    assert r.get("hover_error") is None, r["hover_error"]
    assert r.get("hover"), "empty hover on rt_bitset_resize" + context
    assert "rt_bitset_resize(handle: i64, size: i64) -> i64" in r["hover"], r["hover"]

    # Code actions for SFFI004: a quick fix with an edit, applied in the buffer.
    assert r.get("code_action_error") is None, r["code_action_error"]
    fixes = [a for a in r["code_actions"] if a["for_sffi004"] and a["has_edit"]]
    assert fixes, f"no quick fix for SFFI004 among {r['code_actions']}" + context
    assert fixes[0]["kind"] == "quickfix"
    assert r.get("applied") == fixes[0]["title"]
    after = r["buffer_after_fix"]
    assert "# BitsetRef: opaque handle (pointer cast to i64)" in after
    assert "extern fn rt_bitset_clear(handle: i64)" in after
    assert not any("BitsetRef" in line and "extern" in line for line in after), after
    assert r["sffi004_cleared"], f"SFFI004 still reported after the fix: {r['diagnostics_after_fix']}"
    assert {d["code"] for d in r["diagnostics_after_fix"]} == {
        "SFFI001", "SFFI002", "SFFI003", "SFFI005", "SFFI006", "SFFI012"}

    # The spec file gets its filetype and the same client.
    assert r["spec_filetype"] == "wrapper_spec"
    assert r["spec_clients"] == [r["client_id"]]


# The editors/neovim/README.md recipe without nvim-treesitter: the parser built from
# tree-sitter-simple/ as parser/simple.so and queries/simple/ on the runtimepath.
TS_LUA = r"""
local RESULT = %(result)s
local FILE = %(file)s
local R = {}
local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(FILE))
  local buf = vim.api.nvim_get_current_buf()
  R.filetype = vim.bo[buf].filetype
  local ts = vim.treesitter
  if ts.language.add then ts.language.add('simple') else ts.require_language('simple') end
  local tree = ts.get_parser(buf, 'simple'):parse()[1]
  R.root = tree:root():type()
  R.has_error = tree:root():has_error()
  local get = ts.query.get or ts.get_query
  R.captures = {}
  for _, name in ipairs({ 'highlights', 'tags', 'sffi' }) do
    local query = get('simple', name)
    local n = {}
    for id, node in query:iter_captures(tree:root(), buf) do
      local cap = query.captures[id]
      n[cap] = (n[cap] or 0) + 1
    end
    R.captures[name] = n
  end
  -- Highlighting: vim.treesitter.start on 0.9+, the highlighter object on 0.7/0.8.
  if ts.start then ts.start(buf, 'simple') else ts.highlighter.new(ts.get_parser(buf, 'simple')) end
  R.highlighting = ts.highlighter.active[buf] ~= nil
end
""" + LUA_RUN_AND_REPORT


def test_neovim_loads_the_simple_parser_and_queries(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim is not installed: the Neovim end-to-end test needs it "
                    "(Debian: apt-get install neovim; .ci/run installs it)")
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "a C compiler is needed to build the Simple parser"
    site = tmp_path / "site"
    (site / "parser").mkdir(parents=True)
    (site / "queries").mkdir()
    grammar = REPO / "tree-sitter-simple"
    subprocess.run([cc, "-shared", "-fPIC", "-O2", "-I", "src", "src/parser.c", "src/scanner.c",
                    "-o", str(site / "parser" / "simple.so")], cwd=grammar, check=True, timeout=600)
    (site / "queries" / "simple").symlink_to(REPO / "queries" / "simple")
    init = tmp_path / "init.lua"
    init.write_text(f"vim.opt.runtimepath:prepend({_lua_string(str(PLUGIN))})\n"
                    f"vim.opt.runtimepath:append({_lua_string(str(site))})\n"
                    "vim.opt.swapfile = false\nvim.opt.shadafile = 'NONE'\n")
    result = tmp_path / "ts-result.json"
    script = tmp_path / "ts.lua"
    script.write_text(TS_LUA % {"result": _lua_string(str(result)),
                                "file": _lua_string(str(REPO / "examples/demo" / LEGACY))})
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
           "XDG_STATE_HOME": str(tmp_path / "xdg-state"), "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", str(init), "-c", f"luafile {script}"],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert result.exists(), proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
    r = json.loads(result.read_text())
    assert "error" not in r, r["error"]
    assert r["filetype"] == "simple"
    assert r["root"] == "source_file"
    assert r["has_error"] is False
    assert r["captures"]["sffi"]["extern.function"] == 7
    assert r["captures"]["sffi"]["extern.type"] == 1
    assert r["captures"]["tags"]["definition.function"] == 8
    assert r["captures"]["highlights"]["function"] >= 1
    assert r["captures"]["highlights"]["type.builtin"] >= 1
    assert r["highlighting"] is True
