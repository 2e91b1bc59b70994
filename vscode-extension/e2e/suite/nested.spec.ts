/**
 * A folder holding two projects (alpha/ and beta/, each with its own sffi-lsp.toml) and
 * files of its own: each project is checked with its own settings and its own index.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

import { activate, cliFindings, folder, heldFindings, sameFindings, sleep, until } from './harness';

suite('nested projects', () => {
  suiteSetup(async () => {
    await activate();
  });

  test('every finding of `sffi-lsp check --format json` is in VS Code once, none missing', async () => {
    const expected = await cliFindings(folder());
    assert.deepStrictEqual(Object.keys(expected).map((p) => path.relative(folder(), p)).sort(),
      ['alpha/src/ffi.spl', 'beta/src/ffi.spl', 'beta/src/use.spl', 'shared/util.spl']);
    await until('the findings of the four files', heldFindings, (held) => sameFindings(held, expected), 90000);
  });

  test('each project has its own settings and index', async () => {
    const held = heldFindings();
    const codes = (rel: string) => (held[path.join(folder(), rel)] ?? []).map((r) => r[0]).sort();
    assert.deepStrictEqual(codes('alpha/src/ffi.spl'), ['SFFI001', 'SFFI001', 'SFFI001', 'SFFI004']); // SFFI002 ignored by alpha
    assert.deepStrictEqual(codes('beta/src/ffi.spl'), ['SFFI001', 'SFFI001', 'SFFI002']);
    assert.deepStrictEqual(codes('beta/src/use.spl'), ['SFFI012']); // alpha's declaration is not in beta's index
    assert.deepStrictEqual(codes('shared/util.spl'), ['SFFI001', 'SFFI001', 'SFFI006']);
  });

  test('opening a file of a nested project keeps its findings once', async () => {
    const beta = vscode.Uri.file(path.join(folder(), 'beta/src/ffi.spl'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(beta));
    await sleep(1500);
    assert.ok(sameFindings(heldFindings(), await cliFindings(folder())));
    assert.strictEqual(vscode.languages.getDiagnostics(beta).length, 3);
  });
});
