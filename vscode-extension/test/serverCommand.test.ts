import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  ExecFileLike,
  ImportCheck,
  ResolveHelpers,
  importCheckArgs,
  installCommand,
  interpreterCommand,
  makeImportChecker,
  missingPackageMessage,
  resolveServerCommand,
} from '../src/serverCommand';

function helpers(overrides: Partial<ResolveHelpers> & { importable?: ImportCheck } = {}): ResolveHelpers & { checked: string[] } {
  const checked: string[] = [];
  return {
    checked,
    pythonExtensionInterpreter: overrides.pythonExtensionInterpreter,
    localSourcePath: overrides.localSourcePath,
    defaultPython: overrides.defaultPython,
    checkImportable:
      overrides.checkImportable ??
      (async (python: string) => {
        checked.push(python);
        return overrides.importable ?? { ok: true };
      }),
  };
}

describe('serverCommand: resolution order', () => {
  it('1. sffi.server.path wins, with default args ["serve"] and no import check', async () => {
    const h = helpers({ pythonExtensionInterpreter: async () => '/venv/bin/python' });
    const r = await resolveServerCommand({ serverPath: '/opt/sffi-lsp', interpreter: '/usr/bin/python3.12' }, h);
    assert.deepStrictEqual(r, { ok: true, command: '/opt/sffi-lsp', args: ['serve'], source: 'server.path' });
    assert.deepStrictEqual(h.checked, []);
  });

  it('1. sffi.server.path uses sffi.server.args when given (even empty)', async () => {
    const r1 = await resolveServerCommand({ serverPath: 'sffi-lsp', serverArgs: ['serve', '--log-level', 'debug'] }, helpers());
    assert.ok(r1.ok);
    assert.deepStrictEqual(r1.ok && r1.args, ['serve', '--log-level', 'debug']);
    const r2 = await resolveServerCommand({ serverPath: 'sffi-lsp', serverArgs: [] }, helpers());
    assert.deepStrictEqual(r2.ok && r2.args, []);
  });

  it('2. sffi.interpreter comes next: <python> -m sffi_lsp serve', async () => {
    let askedExtension = false;
    const h = helpers({
      pythonExtensionInterpreter: async () => {
        askedExtension = true;
        return '/venv/bin/python';
      },
    });
    const r = await resolveServerCommand({ serverPath: '  ', interpreter: '/usr/bin/python3.12' }, h);
    assert.deepStrictEqual(r, {
      ok: true,
      command: '/usr/bin/python3.12',
      args: ['-m', 'sffi_lsp', 'serve'],
      source: 'interpreter',
    });
    assert.deepStrictEqual(h.checked, ['/usr/bin/python3.12']);
    assert.strictEqual(askedExtension, false);
  });

  it("3. the Python extension's active interpreter when no setting is given", async () => {
    const h = helpers({ pythonExtensionInterpreter: async () => '/proj/.venv/bin/python' });
    const r = await resolveServerCommand({ serverPath: '', interpreter: '' }, h);
    assert.deepStrictEqual(r, {
      ok: true,
      command: '/proj/.venv/bin/python',
      args: ['-m', 'sffi_lsp', 'serve'],
      source: 'pythonExtension',
    });
    assert.deepStrictEqual(h.checked, ['/proj/.venv/bin/python']);
  });

  it('4. python3 on PATH when the Python extension is absent', async () => {
    const h = helpers({ pythonExtensionInterpreter: async () => undefined });
    const r = await resolveServerCommand({}, h);
    assert.deepStrictEqual(r, { ok: true, command: 'python3', args: ['-m', 'sffi_lsp', 'serve'], source: 'path' });
    const noHelper = await resolveServerCommand({}, helpers());
    assert.deepStrictEqual(noHelper.ok && noHelper.source, 'path');
  });

  it('4. python3 on PATH when the Python extension API throws', async () => {
    const h = helpers({
      pythonExtensionInterpreter: async () => {
        throw new Error('API changed');
      },
    });
    const r = await resolveServerCommand({ interpreter: null, serverPath: null }, h);
    assert.deepStrictEqual(r.ok && [r.command, r.source], ['python3', 'path']);
  });

  it('reports a missing package with the pip install command', async () => {
    const h = helpers({ importable: { ok: false, reason: 'missing-package' } });
    const r = await resolveServerCommand({ interpreter: '/usr/bin/python3' }, h);
    assert.strictEqual(r.ok, false);
    if (r.ok) return;
    assert.strictEqual(r.reason, 'missing-package');
    assert.strictEqual(r.installCommand, '/usr/bin/python3 -m pip install sffi-lsp');
    assert.strictEqual(
      r.message,
      "SFFI: the language server package 'sffi_lsp' is not installed for /usr/bin/python3. " +
        "Install it with: /usr/bin/python3 -m pip install sffi-lsp, or set 'sffi.interpreter' / 'sffi.server.path'.",
    );
  });

  it('offers pip install <path> when a local checkout of the server is open', async () => {
    const h = helpers({ importable: { ok: false, reason: 'missing-package' }, localSourcePath: '/work/my repo' });
    const r = await resolveServerCommand({}, h);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.strictEqual(r.installCommand, 'python3 -m pip install "/work/my repo"');
    assert.match(r.message, /python3 -m pip install sffi-lsp \(or from this checkout: python3 -m pip install "\/work\/my repo"\)/);
    assert.strictEqual(missingPackageMessage('py', '/src'), "SFFI: the language server package 'sffi_lsp' is not installed for py. Install it with: py -m pip install sffi-lsp (or from this checkout: py -m pip install /src), or set 'sffi.interpreter' / 'sffi.server.path'.");
  });

  it('reports an interpreter that cannot be run', async () => {
    const h = helpers({ importable: { ok: false, reason: 'interpreter-not-found' } });
    const r = await resolveServerCommand({ interpreter: '/nope/python' }, h);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.strictEqual(r.installCommand, undefined);
    assert.match(r.message, /cannot run the Python interpreter '\/nope\/python' \(set in 'sffi.interpreter'\)/);
  });

  it('reports other import failures with their detail', async () => {
    const h = helpers({ importable: { ok: false, reason: 'error', detail: 'SyntaxError: bad' } });
    const r = await resolveServerCommand({}, h);
    assert.ok(!r.ok && /'import sffi_lsp' failed with python3: SyntaxError: bad/.test(r.message));
  });
});

describe('serverCommand: command lines', () => {
  it('builds the interpreter command and the import check argv', () => {
    assert.deepStrictEqual(interpreterCommand('C:\\Python312\\python.exe'), {
      command: 'C:\\Python312\\python.exe',
      args: ['-m', 'sffi_lsp', 'serve'],
    });
    assert.deepStrictEqual(importCheckArgs(), ['-c', 'import sffi_lsp']);
  });

  it('quotes install commands only when needed', () => {
    assert.strictEqual(installCommand('python3'), 'python3 -m pip install sffi-lsp');
    assert.strictEqual(installCommand('/My Python/bin/python'), '"/My Python/bin/python" -m pip install sffi-lsp');
    assert.strictEqual(installCommand('python3', '/src/sffi-lsp'), 'python3 -m pip install /src/sffi-lsp');
  });
});

describe('serverCommand: makeImportChecker (execFile, no shell)', () => {
  type Call = { file: string; args: readonly string[]; options: object };
  function fakeExec(error: (Error & { code?: unknown }) | null, stderr = ''): { exec: ExecFileLike; calls: Call[] } {
    const calls: Call[] = [];
    const exec: ExecFileLike = (file, args, options, cb) => {
      calls.push({ file, args, options });
      setImmediate(() => cb(error, '', stderr));
      return undefined;
    };
    return { exec, calls };
  }

  it('succeeds when the import exits 0', async () => {
    const { exec, calls } = fakeExec(null);
    assert.deepStrictEqual(await makeImportChecker(exec)('/venv/bin/python'), { ok: true });
    assert.strictEqual(calls[0].file, '/venv/bin/python');
    assert.deepStrictEqual(calls[0].args, ['-c', 'import sffi_lsp']);
    assert.ok(!('shell' in calls[0].options));
  });

  it('classifies ModuleNotFoundError as a missing package', async () => {
    const err = Object.assign(new Error('Command failed'), { code: 1 });
    const { exec } = fakeExec(err, "ModuleNotFoundError: No module named 'sffi_lsp'");
    const r = await makeImportChecker(exec)('python3');
    assert.deepStrictEqual(r.ok === false && r.reason, 'missing-package');
  });

  it('classifies ENOENT as an interpreter that is not found', async () => {
    const err = Object.assign(new Error('spawn python3 ENOENT'), { code: 'ENOENT' });
    const { exec } = fakeExec(err);
    const r = await makeImportChecker(exec)('python3');
    assert.deepStrictEqual(r.ok === false && r.reason, 'interpreter-not-found');
  });

  it('runs a real process through child_process.execFile', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { execFile } = require('child_process') as typeof import('child_process');
    const os = require('os') as typeof import('os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sffi-python-'));
    const fake = (name: string, body: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };
    const good = fake('good-python', '[ "$1" = "-c" ] && [ "$2" = "import sffi_lsp" ] && exit 0; exit 3');
    const bad = fake('bad-python', 'echo "ModuleNotFoundError: No module named \'sffi_lsp\'" >&2; exit 1');
    const check = makeImportChecker(execFile as unknown as ExecFileLike);
    try {
      assert.deepStrictEqual(await check(good), { ok: true });
      const badResult = await check(bad);
      assert.deepStrictEqual(badResult.ok === false && badResult.reason, 'missing-package');
      const missing = await check(path.join(dir, 'no-such-python'));
      assert.deepStrictEqual(missing.ok === false && missing.reason, 'interpreter-not-found');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
