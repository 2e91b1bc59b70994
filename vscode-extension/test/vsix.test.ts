import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';

const ROOT = path.resolve(__dirname, '..', '..');

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error('cannot open zip'));
        return;
      }
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            reject(e ?? new Error('cannot read entry'));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('packaged .vsix (npm run package)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  let entries: Map<string, Buffer>;

  before(async function () {
    assert.ok(fs.existsSync(vsix), `${vsix} not found: npm test runs "npm run package" before mocha`);
    entries = await readZip(vsix);
  });

  it('contains the manifest with the contributions', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.strictEqual(manifest.name, 'sffi-lsp');
    assert.strictEqual(manifest.main, './dist/extension.js');
    assert.deepStrictEqual(manifest.contributes.languages.map((l: { id: string }) => l.id), ['simple', 'wrapper-spec']);
    assert.deepStrictEqual(manifest.contributes.grammars.map((g: { scopeName: string }) => g.scopeName), [
      'source.simple',
      'source.wrapper-spec',
    ]);
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(commands.includes('sffi.palette.regenerateWrapper'));
    assert.ok(commands.includes('sffi.restartServer'));
    assert.ok('sffi.cargo.env' in manifest.contributes.configuration.properties);
  });

  it('contains the grammars, language configurations, bundle, README and LICENSE', () => {
    for (const name of [
      'extension/syntaxes/simple.tmLanguage.json',
      'extension/syntaxes/wrapper-spec.tmLanguage.json',
      'extension/language-configuration.json',
      'extension/wrapper-spec.language-configuration.json',
      'extension/dist/extension.js',
      'extension/readme.md',
      'extension/LICENSE.txt',
      'extension.vsixmanifest',
      '[Content_Types].xml',
    ]) {
      assert.ok(
        entries.has(name) || [...entries.keys()].some((k) => k.toLowerCase() === name.toLowerCase()),
        `${name} missing; entries: ${[...entries.keys()].join(', ')}`,
      );
    }
    JSON.parse(entries.get('extension/syntaxes/simple.tmLanguage.json')!.toString('utf8'));
  });

  it('bundles the language client and leaves out sources and node_modules', () => {
    const bundle = entries.get('extension/dist/extension.js')!.toString('utf8');
    assert.ok(bundle.includes('sffi/status'));
    assert.ok(bundle.length > 50_000, 'vscode-languageclient should be bundled');
    for (const name of entries.keys()) {
      assert.ok(!name.startsWith('extension/node_modules/'), name);
      assert.ok(!name.startsWith('extension/src/'), name);
      assert.ok(!name.startsWith('extension/test/'), name);
      assert.ok(!name.endsWith('.map'), name);
    }
  });
});
