#!/usr/bin/env node
// End-to-end tests in a real VS Code: code-server (VS Code 1.100.3) driven by Debian's chromium.
//
//   node e2e/run.mjs --code-server DIR --python PY [--images DIR] [--work DIR]
//
// DIR is what ../../shared/tools/install-code-server.sh installed; PY is a Python that can
// import sffi_lsp (the server). For each suite (a workspace + a test file) the workbench is
// opened with the extension under development and `extensionTestsPath`: the tests run inside
// the real extension host with the full `vscode` API (e2e/suite/*.ts). Where the screen
// matters they ask this script, through files in $E2E_DIR/requests, to read the DOM or take a
// screenshot (saved to --images). Exits non-zero when a test fails or anything is missing:
// nothing is skipped.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXT = path.resolve(HERE, '..');
const REPO = path.resolve(EXT, '..');
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));
const SUITE_TIMEOUT_MS = 8 * 60 * 1000;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

const codeServer = path.resolve(option('code-server', process.env.CODE_SERVER_DIR ?? ''));
const python = option('python', process.env.E2E_PYTHON ?? '');
const images = option('images', '');
const work = fs.mkdtempSync(path.join(option('work', os.tmpdir()), 'sffi-e2e-'));
const only = option('suite', '');
const entry = path.join(codeServer, 'package/out/node/entry.js');
if (!fs.existsSync(entry)) fail(`no code-server at ${entry} (run install-code-server.sh)`);
if (!python) fail('--python is required');
if (!CHROMIUM) fail('no chromium (/usr/lib/chromium/chromium)');
if (!fs.existsSync(path.join(EXT, 'dist/extension.js'))) fail('the extension is not built (npm run compile)');
if (!fs.existsSync(path.join(EXT, 'out-e2e/e2e/suite/harness.js'))) fail('the tests are not built (npm run build:e2e)');
let playwright;
try {
  playwright = await import('playwright-core');
} catch (err) {
  fail(`playwright-core is not installed: ${err}`);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== 'target' });
}

// ------------------------------------------------------------------------- workspaces
const demo = path.join(work, 'demo');
copy(path.join(REPO, 'examples/demo'), demo); // unbuilt: the build-lens test builds it
const nested = path.join(work, 'nested');
copy(path.join(HERE, 'fixtures/nested'), nested);

const suites = [
  { name: 'demo', folder: demo, tests: 'demo.js' },
  { name: 'nested', folder: nested, tests: 'nested.js' },
].filter((s) => !only || s.name === only);

// ------------------------------------------------------------------------- code-server
async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const userData = path.join(work, 'user-data');
const e2eDir = path.join(work, 'e2e');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(path.join(e2eDir, 'requests'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({
  'sffi.interpreter': python,
  ...(process.env.E2E_SERVER_LOG ? { 'sffi.server.path': python, 'sffi.server.args': ['-m', 'sffi_lsp', 'serve', '--log-file', path.join(work, 'server.log')] } : {}),
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'files.watcherExclude': { '**/target/**': true },
}, null, 2));
fs.writeFileSync(path.join(work, 'config.yaml'), 'auth: none\n');
const serverLog = fs.openSync(path.join(work, 'code-server.log'), 'w');
const server = spawn(process.execPath, [
  entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--config', path.join(work, 'config.yaml'),
  '--user-data-dir', userData, '--extensions-dir', path.join(work, 'extensions'),
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
], {
  stdio: ['ignore', serverLog, serverLog],
  env: {
    ...process.env,
    E2E_DIR: e2eDir,
    E2E_PYTHON: python,
    EXTENSIONS_GALLERY: '{"serviceUrl":"http://127.0.0.1:9/g","itemUrl":"http://127.0.0.1:9/i"}',
  },
  detached: true,
});
function stopServer() {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
}
process.on('exit', stopServer);

for (let i = 0; ; i++) {
  const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  if (up) break;
  if (i > 150) fail(`code-server did not start; see ${path.join(work, 'code-server.log')}`);
  await new Promise((r) => setTimeout(r, 200));
}

const browser = await playwright.chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-first-run',
    '--disable-features=Translate,MediaRouter,OptimizationHints', '--metrics-recording-only'],
});

// ------------------------------------------------------------------------- requests from the tests
async function serve(page, suite) {
  const dir = path.join(e2eDir, 'requests');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.request.json')).sort()) {
    const request = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const answer = { ok: true };
    try {
      if (request.action === 'screenshot') {
        if (images) {
          fs.mkdirSync(images, { recursive: true });
          await page.screenshot({ path: path.join(images, `${request.name}.png`) });
        }
        await page.screenshot({ path: path.join(work, `${suite.name}-${request.name}.png`) });
      } else if (request.action === 'text') {
        answer.texts = await page.locator(request.selector).allInnerTexts();
        answer.labels = await page.locator(request.selector).evaluateAll(
          (nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
      } else if (request.action === 'click') {
        await page.locator(request.selector).first().click({ timeout: 20000 });
      } else if (request.action === 'waitText') {
        const deadline = Date.now() + (request.timeout ?? 30000);
        answer.ok = false;
        while (Date.now() < deadline) {
          const texts = await page.locator(request.selector).allInnerTexts();
          const labels = await page.locator(request.selector).evaluateAll(
            (nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
          answer.texts = texts;
          answer.labels = labels;
          if ([...texts, ...labels].some((t) => t.includes(request.text))) {
            answer.ok = true;
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      } else {
        throw new Error(`unknown action ${request.action}`);
      }
    } catch (err) {
      answer.ok = false;
      answer.error = String(err);
    }
    fs.writeFileSync(path.join(dir, file.replace('.request.json', '.answer.json')), JSON.stringify(answer));
    fs.unlinkSync(path.join(dir, file));
  }
}

let failures = 0;
for (const suite of suites) {
  const started = Date.now();
  const resultFile = path.join(e2eDir, `${suite.name}.result.json`);
  const testsPath = path.join(EXT, 'out-e2e/e2e/suite', suite.tests);
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${EXT}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testsPath}`],
  ]);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(suite.folder)}&payload=${encodeURIComponent(payload)}`);
  console.log(`e2e: suite ${suite.name} in ${suite.folder}`);
  while (!fs.existsSync(resultFile)) {
    if (Date.now() - started > SUITE_TIMEOUT_MS) {
      await page.screenshot({ path: path.join(work, `${suite.name}-timeout.png`) });
      console.error(`e2e: suite ${suite.name} timed out; see ${work}`);
      failures++;
      break;
    }
    await serve(page, suite);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (fs.existsSync(resultFile)) {
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    for (const t of result.passed) console.log(`  ok   ${t.title} (${t.ms} ms)`);
    for (const t of result.failed) console.log(`  FAIL ${t.title}\n       ${t.error.split('\n').join('\n       ')}`);
    if (result.passed.length === 0) console.log('  no test ran');
    failures += result.failed.length + (result.passed.length === 0 ? 1 : 0);
  }
  console.log(`e2e: suite ${suite.name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await page.close();
}
await browser.close();
stopServer();
console.log(failures ? `e2e: ${failures} failure(s); logs in ${work}` : 'e2e: all passed');
process.exit(failures ? 1 : 0);
