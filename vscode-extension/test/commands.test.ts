import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  PALETTE_COMMANDS,
  SERVER_COMMANDS,
  crateDirOf,
  describeCommandResult,
  executeCommandParams,
  isWrapperSpecPath,
} from '../src/commands';
import { activePythonInterpreter } from '../src/pythonExtension';

describe('commands: workspace/executeCommand params', () => {
  it('builds the server command arguments', () => {
    assert.deepStrictEqual(executeCommandParams('regenerateWrapper', 'file:///w/regex.wrapper_spec'), {
      command: 'sffi.regenerateWrapper',
      arguments: [{ spec: 'file:///w/regex.wrapper_spec' }],
    });
    assert.deepStrictEqual(executeCommandParams('buildLibrary', 'file:///w/.build/rust/regex'), {
      command: 'sffi.buildLibrary',
      arguments: [{ crate: 'file:///w/.build/rust/regex' }],
    });
    assert.deepStrictEqual(executeCommandParams('registerLibrary', 'file:///w/libregex.so'), {
      command: 'sffi.registerLibrary',
      arguments: [{ library: 'file:///w/libregex.so' }],
    });
    assert.deepStrictEqual(executeCommandParams('reindex'), { command: 'sffi.reindex', arguments: [] });
    assert.throws(() => executeCommandParams('buildLibrary'), /needs a file URI/);
  });

  it('keeps palette ids distinct from server ids', () => {
    for (const kind of Object.keys(SERVER_COMMANDS) as (keyof typeof SERVER_COMMANDS)[]) {
      assert.notStrictEqual(PALETTE_COMMANDS[kind], SERVER_COMMANDS[kind]);
      assert.strictEqual(PALETTE_COMMANDS[kind], SERVER_COMMANDS[kind].replace('sffi.', 'sffi.palette.'));
    }
  });

  it('helps with paths and results', () => {
    assert.ok(isWrapperSpecPath('/a/b/torch.wrapper_spec'));
    assert.ok(!isWrapperSpecPath('/a/b/torch.spl'));
    assert.strictEqual(crateDirOf('/w/.build/rust/regex/Cargo.toml'), '/w/.build/rust/regex');
    assert.strictEqual(describeCommandResult({ message: 'wrote 3 files' }), 'wrote 3 files');
    assert.strictEqual(describeCommandResult('done'), 'done');
    assert.strictEqual(describeCommandResult(null), undefined);
    assert.strictEqual(describeCommandResult({ ok: true }), undefined);
  });
});

describe('package.json contributions', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));

  it('contributes the palette commands under category SFFI, not the server names', () => {
    const ids = (pkg.contributes.commands as { command: string; category: string }[]).map((c) => c.command);
    assert.deepStrictEqual(ids.sort(), [...Object.values(PALETTE_COMMANDS), 'sffi.restartServer', 'sffi.showOutput'].sort());
    for (const c of pkg.contributes.commands) {
      assert.strictEqual(c.category, 'SFFI');
    }
    for (const serverName of Object.values(SERVER_COMMANDS)) {
      assert.ok(!ids.includes(serverName), `${serverName} must be left to the language client`);
    }
  });

  it('contributes every setting with a type, default and description', () => {
    const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    const expected = [
      'sffi.server.path', 'sffi.server.args', 'sffi.interpreter', 'sffi.trace.server',
      'sffi.libraries', 'sffi.searchPaths', 'sffi.runtimePath', 'sffi.pluginManifest', 'sffi.externPrefixes',
      'sffi.select', 'sffi.ignore', 'sffi.perFileIgnores', 'sffi.exclude', 'sffi.severity', 'sffi.cacheDir',
      'sffi.generator.command',
      'sffi.cargo.profile', 'sffi.cargo.features', 'sffi.cargo.extraArgs', 'sffi.cargo.env', 'sffi.diagnostics.debounceMs',
      'sffi.baseline.path', 'sffi.baseline.show',
    ];
    assert.deepStrictEqual(Object.keys(props).sort(), expected.sort());
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.type, `${key} has a type`);
      assert.ok('default' in p, `${key} has a default`);
      assert.ok(p.description || p.markdownDescription, `${key} has a description`);
    }
    assert.deepStrictEqual(props['sffi.server.args'].default, ['serve']);
    assert.deepStrictEqual(props['sffi.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  it('contributes both languages with grammars and configurations that exist', () => {
    const root = path.resolve(__dirname, '..', '..');
    const langs = pkg.contributes.languages as { id: string; extensions: string[]; configuration: string }[];
    assert.deepStrictEqual(langs.map((l) => [l.id, l.extensions]), [['simple', ['.spl']], ['wrapper-spec', ['.wrapper_spec']]]);
    for (const l of langs) {
      JSON.parse(fs.readFileSync(path.join(root, l.configuration), 'utf8'));
    }
    const conf = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));
    assert.strictEqual(conf.comments.lineComment, '#');
    assert.deepStrictEqual(conf.comments.blockComment, ['/*', '*/']);
    assert.ok(new RegExp(conf.indentationRules.increaseIndentPattern).test('fn f(x: i64) -> i64:'));
    assert.ok(!new RegExp(conf.indentationRules.increaseIndentPattern).test('extern fn rt_x(a: i64) -> i64'));
    assert.ok(!new RegExp(conf.indentationRules.increaseIndentPattern).test('# comment:'));
    for (const g of pkg.contributes.grammars as { path: string }[]) {
      assert.ok(fs.existsSync(path.join(root, g.path)), g.path);
    }
  });
});

describe('pythonExtension: active interpreter lookup', () => {
  const ext = (exports: unknown, isActive = true) => ({
    getExtension: (id: string) =>
      id === 'ms-python.python' ? { isActive, exports, activate: async () => exports } : undefined,
  });

  it('is undefined without the extension', async () => {
    assert.strictEqual(await activePythonInterpreter({ getExtension: () => undefined }), undefined);
  });

  it('resolves the active environment to its executable', async () => {
    const api = {
      environments: {
        getActiveEnvironmentPath: () => ({ id: 'x', path: '/proj/.venv' }),
        resolveEnvironment: async () => ({ executable: { uri: { fsPath: '/proj/.venv/bin/python' } } }),
      },
    };
    assert.strictEqual(await activePythonInterpreter(ext(api, false)), '/proj/.venv/bin/python');
  });

  it('falls back to the unresolved path, then the legacy API', async () => {
    const unresolved = {
      environments: { getActiveEnvironmentPath: () => ({ id: 'x', path: '/usr/bin/python3' }), resolveEnvironment: async () => undefined },
    };
    assert.strictEqual(await activePythonInterpreter(ext(unresolved)), '/usr/bin/python3');
    const legacy = { settings: { getExecutionDetails: () => ({ execCommand: ['/legacy/python'] }) } };
    assert.strictEqual(await activePythonInterpreter(ext(legacy)), '/legacy/python');
  });

  it('is undefined when activation fails', async () => {
    const broken = {
      getExtension: () => ({ isActive: false, exports: undefined, activate: async () => { throw new Error('boom'); } }),
    };
    assert.strictEqual(await activePythonInterpreter(broken), undefined);
  });
});
