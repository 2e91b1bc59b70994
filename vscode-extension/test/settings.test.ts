import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { configurationForSection, defaultServerSettings, toInitializationOptions } from '../src/settings';

const EXPECTED_DEFAULTS = {
  libraries: [],
  searchPaths: [],
  runtimePath: null,
  pluginManifest: null,
  externPrefixes: ['rt_'],
  select: [],
  ignore: [],
  perFileIgnores: {},
  exclude: [],
  severity: {},
  cacheDir: null,
  generator: { command: ['simple', 'wrapper-gen', '${spec}'] },
  cargo: { profile: 'release', features: [], extraArgs: [], env: {} },
  diagnostics: { debounceMs: 150 },
  baseline: { path: null, show: false },
};

function getterFrom(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('settings: initializationOptions mapping', () => {
  it('gives the defaults when nothing is set', () => {
    assert.deepStrictEqual(toInitializationOptions(() => undefined), EXPECTED_DEFAULTS);
    assert.deepStrictEqual(defaultServerSettings(), EXPECTED_DEFAULTS);
  });

  it('gives the same result from the package.json defaults', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    const get = (key: string) => props[`sffi.${key}`]?.default;
    assert.deepStrictEqual(toInitializationOptions(get), EXPECTED_DEFAULTS);
  });

  it('maps every override to its camelCase key', () => {
    const opts = toInitializationOptions(
      getterFrom({
        libraries: ['build/**/*.so'],
        searchPaths: ['/opt/lib'],
        runtimePath: '/opt/simple/bin/simple',
        pluginManifest: '~/.simple/plugins/manifest.sdn',
        externPrefixes: ['rt_', 'spl_'],
        select: ['SFFI0'],
        ignore: ['SFFI003'],
        perFileIgnores: { 'src/kernel/*': ['SFFI002'], 'empty/*': [] },
        exclude: ['third_party/**'],
        severity: { sffi001: 'Warning', SFFI002: 'off' },
        cacheDir: '/tmp/sffi',
        'generator.command': ['bin/simple', 'wrapper-gen', '${spec}', '--tier=${tier}'],
        'cargo.profile': 'dev',
        'cargo.features': ['cuda'],
        'cargo.extraArgs': ['--locked'],
        'cargo.env': { LIBTORCH_PATH: '/opt/libtorch' },
        'diagnostics.debounceMs': 400,
        'baseline.path': 'ci/sffi-baseline.json',
        'baseline.show': true,
      }),
    );
    assert.deepStrictEqual(opts, {
      libraries: ['build/**/*.so'],
      searchPaths: ['/opt/lib'],
      runtimePath: '/opt/simple/bin/simple',
      pluginManifest: '~/.simple/plugins/manifest.sdn',
      externPrefixes: ['rt_', 'spl_'],
      select: ['SFFI0'],
      ignore: ['SFFI003'],
      perFileIgnores: { 'src/kernel/*': ['SFFI002'] },
      exclude: ['third_party/**'],
      severity: { SFFI001: 'warning', SFFI002: 'off' },
      cacheDir: '/tmp/sffi',
      generator: { command: ['bin/simple', 'wrapper-gen', '${spec}', '--tier=${tier}'] },
      cargo: { profile: 'dev', features: ['cuda'], extraArgs: ['--locked'], env: { LIBTORCH_PATH: '/opt/libtorch' } },
      diagnostics: { debounceMs: 400 },
      baseline: { path: 'ci/sffi-baseline.json', show: true },
    });
  });

  it('drops invalid values instead of sending them', () => {
    const opts = toInitializationOptions(
      getterFrom({
        libraries: ['ok.so', 3, null],
        runtimePath: '   ',
        severity: { SFFI001: 'fatal', SFFI002: 'hint', SFFI003: 7 },
        'generator.command': [],
        'cargo.profile': '',
        'cargo.env': { A: 'x', B: 1, C: { nested: true } },
        'diagnostics.debounceMs': -5,
        externPrefixes: 'rt_',
      }),
    );
    assert.deepStrictEqual(opts.libraries, ['ok.so']);
    assert.strictEqual(opts.runtimePath, null);
    assert.deepStrictEqual(opts.severity, { SFFI002: 'hint' });
    assert.deepStrictEqual(opts.generator.command, ['simple', 'wrapper-gen', '${spec}']);
    assert.strictEqual(opts.cargo.profile, 'release');
    assert.deepStrictEqual(opts.cargo.env, { A: 'x', B: '1' });
    assert.strictEqual(opts.diagnostics.debounceMs, 150);
    assert.deepStrictEqual(opts.externPrefixes, ['rt_']);
  });

  it('answers workspace/configuration sections', () => {
    const s = defaultServerSettings();
    assert.strictEqual(configurationForSection('sffi', s), s);
    assert.deepStrictEqual(configurationForSection('sffi.cargo', s), s.cargo);
    assert.strictEqual(configurationForSection('sffi.cargo.profile', s), 'release');
    assert.strictEqual(configurationForSection('sffi.nope', s), null);
    assert.strictEqual(configurationForSection('python', s), undefined);
    assert.strictEqual(configurationForSection(undefined, s), undefined);
  });
});
