import * as assert from 'assert';
import * as path from 'path';
import { Uri, createFakeVscode } from './fakeVscode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

const ROOT = path.resolve(__dirname, '..', '..');

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('dist/extension.js against a stub language server (fake vscode module)', function () {
  this.timeout(30000);
  const stub = path.join(ROOT, 'test', 'fixtures', 'stubServer.js');
  const fake = createFakeVscode({
    'sffi.server.path': process.execPath,
    'sffi.server.args': [stub, '--stdio'],
    'sffi.trace.server': 'off',
    'sffi.cargo.env': { LIBTORCH_PATH: '/opt/libtorch' },
    'sffi.diagnostics.debounceMs': 75,
  });
  const originalLoad = Module._load;
  let ext: { activate(ctx: unknown): Promise<void>; deactivate(): Promise<void> };
  const context = { subscriptions: [] as { dispose(): unknown }[], extensionPath: ROOT, extensionUri: { fsPath: ROOT } };

  before(async () => {
    Module._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'vscode') return fake.vscode;
      return originalLoad.call(this, request, parent, isMain);
    };
    const bundle = path.join(ROOT, 'dist', 'extension.js');
    delete require.cache[require.resolve(bundle)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ext = require(bundle);
    await ext.activate(context);
  });

  after(async () => {
    try {
      await ext?.deactivate();
    } finally {
      for (const d of context.subscriptions) {
        try {
          d.dispose();
        } catch {
          /* ignore */
        }
      }
      Module._load = originalLoad;
    }
  });

  it('registers the client commands and the palette commands', () => {
    for (const id of [
      'sffi.showOutput',
      'sffi.restartServer',
      'sffi.palette.regenerateWrapper',
      'sffi.palette.buildLibrary',
      'sffi.palette.registerLibrary',
      'sffi.palette.reindex',
    ]) {
      assert.ok(fake.commands.has(id), id);
    }
  });

  it('lets the language client register the server commands without a clash', async () => {
    await waitFor('server command registration', () => fake.commands.has('sffi.reindex'));
    assert.ok(fake.commands.has('sffi.regenerateWrapper'));
  });

  it('shows sffi/status and answers workspace/configuration with the camelCase settings', async () => {
    const item = fake.statusItems[0];
    const tooltip = await waitFor('ready status', () =>
      item.text === '$(check) SFFI' ? String(item.tooltip) : undefined,
    );
    assert.strictEqual(item.command, 'sffi.showOutput');
    const report = JSON.parse(tooltip.split('\n')[1]);
    assert.deepStrictEqual(report.config, report.initOptions);
    assert.deepStrictEqual(report.initOptions.cargo.env, { LIBTORCH_PATH: '/opt/libtorch' });
    assert.strictEqual(report.initOptions.diagnostics.debounceMs, 75);
    assert.deepStrictEqual(report.initOptions.externPrefixes, ['rt_']);
  });

  it('sends palette commands to the server as workspace/executeCommand', async () => {
    await fake.commands.get('sffi.palette.reindex')!();
    await fake.commands.get('sffi.palette.registerLibrary')!(Uri.file('/w/libregex.so'));
    await fake.commands.get('sffi.palette.buildLibrary')!(Uri.file('/w/.build/rust/regex/Cargo.toml'));
    const infos = fake.messages.filter((m) => m.kind === 'info').map((m) => m.text);
    assert.deepStrictEqual(infos, [
      'SFFI: ran sffi.reindex []',
      'SFFI: ran sffi.registerLibrary [{"library":"file:///w/libregex.so"}]',
      'SFFI: ran sffi.buildLibrary [{"crate":"file:///w/.build/rust/regex"}]',
    ]);
    assert.deepStrictEqual(fake.messages.filter((m) => m.kind === 'error'), []);
  });

  it('restarts the server', async () => {
    await fake.commands.get('sffi.restartServer')!();
    await waitFor('ready after restart', () => fake.statusItems[0].text === '$(check) SFFI');
    await waitFor('server commands re-registered', () => fake.commands.has('sffi.reindex'));
  });
});

describe('dist/extension.js when the server package is missing (fake vscode module)', function () {
  this.timeout(30000);
  it('shows ONE error with the pip install command and starts nothing', async function () {
    if (process.platform === 'win32') this.skip();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require('os') as typeof import('os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sffi-nopkg-'));
    const python = path.join(dir, 'python');
    fs.writeFileSync(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'sffi_lsp'\" >&2\nexit 1\n", { mode: 0o755 });
    const fake = createFakeVscode({ 'sffi.interpreter': python });
    const originalLoad = Module._load;
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    Module._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'vscode') return fake.vscode;
      return originalLoad.call(this, request, parent, isMain);
    };
    try {
      const bundle = path.join(ROOT, 'dist', 'extension.js');
      delete require.cache[require.resolve(bundle)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require(bundle);
      await ext.activate(context);
      await waitFor('error notification', () => fake.messages.length > 0);
      await new Promise((r) => setTimeout(r, 200));
      assert.strictEqual(fake.messages.length, 1);
      assert.strictEqual(fake.messages[0].kind, 'error');
      assert.ok(fake.messages[0].text.includes(`${python} -m pip install sffi-lsp`), fake.messages[0].text);
      assert.strictEqual(fake.statusItems[0].text, '$(error) SFFI');
      assert.ok(!fake.commands.has('sffi.reindex'), 'no client was started');
      await ext.deactivate();
    } finally {
      context.subscriptions.forEach((d) => d.dispose());
      Module._load = originalLoad;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
