/**
 * The demo workspace (examples/demo, its crate not built yet) in a real VS Code, as a new
 * user meets it. The tests run in order: each leaves the workspace as the next expects.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

import { Row, activate, browser, cliFindings, folder, heldFindings, sameFindings, screenshot, sleep, until } from './harness';

const SFFI_STATUS = '.statusbar-item:has(.codicon-check)';
const SFFI_ERROR_STATUS = '.statusbar-item:has(.codicon-error)';
const PROBLEMS_STATUS = '#status\\.problems';

function legacy(): vscode.Uri {
  return vscode.Uri.file(path.join(folder(), 'src/app/legacy_ffi.spl'));
}

function codesOf(uri: vscode.Uri): string[] {
  return (heldFindings()[uri.fsPath] ?? []).map((r: Row) => r[0]).sort();
}

async function heldEqualsCli(what: string): Promise<void> {
  const expected = await cliFindings(folder());
  assert.ok(Object.keys(expected).length > 0, 'the CLI found nothing');
  await until(what, heldFindings, (held) => sameFindings(held, expected), 90000);
}

async function problemsStatus(): Promise<string> {
  const answer = await browser({ action: 'text', selector: PROBLEMS_STATUS });
  return [...(answer.labels ?? []), ...(answer.texts ?? [])].join(' | ');
}

suite('demo', () => {
  suiteSetup(async () => {
    await activate();
  });

  test('the status bar shows the index with its one problem: the library is not built yet', async () => {
    const answer = await browser({ action: 'waitText', selector: SFFI_ERROR_STATUS, text: 'SFFI 1', timeout: 90000 });
    assert.ok(answer.ok, `no "$(error) SFFI 1" status item: ${JSON.stringify(answer)}`);
  });

  test('every finding of `sffi-lsp check --format json` is in VS Code once, none missing', async () => {
    await heldEqualsCli('the findings of the closed files');
    const expected = await cliFindings(folder());
    const errors = Object.values(expected).flat().length; // every demo finding counted by the status
    const rows = Object.values(heldFindings()).flat();
    assert.strictEqual(rows.length, errors);
    const doc = await vscode.workspace.openTextDocument(legacy());
    await vscode.window.showTextDocument(doc);
    await sleep(1500); // a document pull replaces the workspace report of the opened file
    assert.ok(sameFindings(heldFindings(), expected), 'opening a file changed what VS Code holds');
    const all = vscode.languages.getDiagnostics(legacy());
    assert.strictEqual(all.length, expected[legacy().fsPath].length, 'legacy_ffi.spl holds a finding twice');
  });

  test('the status bar counts each problem once', async () => {
    const heldErrors = vscode.languages.getDiagnostics().flatMap(([, d]) => d)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const status = await until('the problems count', problemsStatus, (s) => (s.match(/\d+/g) ?? ([] as string[])).includes(String(heldErrors)));
    const counts = status.match(/\d+/g)?.map(Number) ?? [];
    assert.ok(counts.includes(heldErrors), `status "${status}" does not show ${heldErrors} errors`);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await sleep(1500);
    await screenshot('vscode-problems');
  });

  test('the "Build library" lens runs cargo with progress and the "build needed" SFFI001 clears', async () => {
    const buildNeeded = () => (heldFindings()[legacy().fsPath] ?? []).filter((r) => r[0] === 'SFFI001' && r[3].includes('is defined in Tier 1 source'));
    assert.ok(buildNeeded().length > 0, 'no "build needed" SFFI001 before the build');
    const spec = vscode.Uri.file(path.join(folder(), 'bitset.wrapper_spec'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(spec));
    const lenses = await until('the code lenses', () =>
      vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', spec),
    (l) => (l ?? []).some((x) => x.command?.title === 'Build library'));
    assert.ok(lenses.length >= 2);
    const click = await browser({ action: 'click', selector: '.codelens-decoration a:has-text("Build library")' });
    assert.ok(click.ok, `cannot click the lens: ${click.error}`);
    const progress = await browser({ action: 'waitText', selector: '.statusbar-item, .notification-toast', text: 'Building ffi_bitset', timeout: 60000 });
    assert.ok(progress.ok, `no build progress shown: ${JSON.stringify(progress)}`);
    await screenshot('vscode-build-lens');
    await until('the "build needed" SFFI001 to clear', buildNeeded, (r) => r.length === 0, 240000);
    const ready = await browser({ action: 'waitText', selector: SFFI_STATUS, text: 'SFFI', timeout: 30000 });
    assert.ok(ready.ok, `no "$(check) SFFI" status item after the build: ${JSON.stringify(ready)}`);
    const lib = path.join(folder(), '.build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so');
    assert.ok(fs.existsSync(lib), 'cargo built no library');
    await heldEqualsCli('the findings after the build');
  });

  test('hover on an extern shows the native signature and the library', async () => {
    const ffi = vscode.Uri.file(path.join(folder(), 'src/lib/bitset/ffi.spl'));
    const doc = await vscode.workspace.openTextDocument(ffi);
    const editor = await vscode.window.showTextDocument(doc);
    const offset = doc.getText().indexOf('rt_bitset_new') + 3;
    const at = doc.positionAt(offset);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ffi, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(text.includes('extern "C" fn rt_bitset_new(size: i64) -> i64'), text);
    assert.ok(text.includes('libsimple_bitset_ffi.so'), text);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.showHover');
    const shown = await browser({ action: 'waitText', selector: '.monaco-hover', text: 'libsimple_bitset_ffi.so', timeout: 20000 });
    assert.ok(shown.ok, `the hover widget does not show the library: ${JSON.stringify(shown)}`);
    await screenshot('vscode-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  test('the SFFI004 quick fix edits the buffer and the diagnostic goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(legacy());
    await vscode.window.showTextDocument(doc);
    const diag = vscode.languages.getDiagnostics(legacy()).find((d) => String(d.code) === 'SFFI004' || (d.code as { value?: string })?.value === 'SFFI004');
    assert.ok(diag, 'no SFFI004 on legacy_ffi.spl');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', legacy(), diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('extern type BitsetRef'));
    assert.ok(fix?.edit, `no quick fix with an edit for SFFI004: ${JSON.stringify(actions)}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(!doc.getText().includes('extern type BitsetRef'), 'the buffer still declares `extern type BitsetRef`');
    await until('SFFI004 to go away', () => codesOf(legacy()), (c) => !c.includes('SFFI004'));
    await doc.save();
  });

  test('source.fixAll applies the safe fixes', async () => {
    const doc = await vscode.workspace.openTextDocument(legacy());
    await vscode.window.showTextDocument(doc);
    assert.ok(codesOf(legacy()).includes('SFFI006'), 'no SFFI006 (a safe fix) to apply');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', legacy(), new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.sffi');
    assert.ok(fixAll?.edit, `no source.fixAll.sffi action: ${actions.map((a) => `${a.kind?.value} ${a.title}`)}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await until('SFFI006 to go away', () => codesOf(legacy()), (c) => !c.includes('SFFI006'));
    await doc.save();
    const expected = await cliFindings(folder());
    const cli = JSON.stringify(expected[legacy().fsPath]);
    assert.ok(!cli.includes('SFFI006') && !cli.includes('SFFI004'), cli);
    await heldEqualsCli('the findings after fix-all');
  });

  test('changing a setting re-checks', async () => {
    assert.ok(codesOf(legacy()).includes('SFFI003') || codesOf(legacy()).includes('SFFI002'));
    const config = vscode.workspace.getConfiguration('sffi');
    await config.update('ignore', ['SFFI002'], vscode.ConfigurationTarget.Workspace);
    try {
      await until('SFFI002 to go after `sffi.ignore`', () => codesOf(legacy()), (c) => !c.includes('SFFI002') && c.includes('SFFI001'));
    } finally {
      await config.update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('SFFI002 to come back', () => codesOf(legacy()), (c) => c.includes('SFFI002'));
  });

  test('editing sffi-lsp.toml on disk re-checks', async () => {
    const toml = path.join(folder(), 'sffi-lsp.toml');
    const before = fs.readFileSync(toml, 'utf8');
    fs.writeFileSync(toml, `${before}ignore = ["SFFI005"]\n`);
    try {
      await until('SFFI005 to go after editing sffi-lsp.toml', () => codesOf(legacy()), (c) => !c.includes('SFFI005') && c.includes('SFFI001'));
    } finally {
      fs.writeFileSync(toml, before);
    }
    await until('SFFI005 to come back', () => codesOf(legacy()), (c) => c.includes('SFFI005'));
    await heldEqualsCli('the findings at the end');
  });

  test('an untitled buffer and a file outside the folder get the rules that need no workspace', async () => {
    const text = 'extern type Handle\nextern fn rt_thing_new() -> i64\nextern fn rt_thing_new() -> i64\n';
    const untitled = await vscode.workspace.openTextDocument({ language: 'simple', content: text });
    await vscode.window.showTextDocument(untitled);
    const codes = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri)
      .map((d) => `${String((d.code as { value?: string })?.value ?? d.code)}:${d.range.start.line + 1}`).sort();
    await until('the untitled buffer\'s findings', () => codes(untitled.uri), (c) => JSON.stringify(c) === '["SFFI004:1","SFFI006:3"]');
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sffi-outside-')), 'scratch.spl'); // no project marker above
    fs.writeFileSync(outside, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(outside));
    await vscode.window.showTextDocument(doc);
    await until('the outside file\'s findings', () => codes(doc.uri), (c) => JSON.stringify(c) === '["SFFI004:1","SFFI006:3"]');
  });
});
