/**
 * Runs inside the real extension host (code-server's): mocha over the suite's spec files,
 * the result written where e2e/run.mjs waits for it, and helpers to ask run.mjs (which drives
 * the browser) to read the DOM or take a screenshot.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

// mocha is a devDependency of the extension; resolved from this file's node_modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha');

export const E2E_DIR = process.env.E2E_DIR ?? '';
export const PYTHON = process.env.E2E_PYTHON ?? '';

export async function runSuite(name: string, specs: string[]): Promise<void> {
  const result = { passed: [] as { title: string; ms: number }[], failed: [] as { title: string; error: string }[] };
  try {
    const mocha = new Mocha({ ui: 'tdd', timeout: 420000, color: false, bail: false });
    for (const spec of specs) {
      mocha.addFile(path.join(__dirname, spec));
    }
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t: { fullTitle(): string; duration?: number }) =>
        result.passed.push({ title: t.fullTitle(), ms: t.duration ?? 0 }));
      runner.on('fail', (t: { fullTitle(): string }, err: Error) =>
        result.failed.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }));
    });
  } catch (err) {
    result.failed.push({ title: `${name}: the suite could not run`, error: String((err as Error)?.stack ?? err) });
  }
  fs.writeFileSync(path.join(E2E_DIR, `${name}.result.json`), JSON.stringify(result, null, 2));
}

let requests = 0;

/** Ask run.mjs to act on the browser page; resolves with its answer. */
export async function browser(request: Record<string, unknown>,
                              timeoutMs = 60000 + Number(request.timeout ?? 0)): Promise<{
  ok: boolean; texts?: string[]; labels?: string[]; error?: string;
}> {
  const id = `${Date.now()}-${++requests}`;
  const dir = path.join(E2E_DIR, 'requests');
  const tmp = path.join(dir, `${id}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(request));
  fs.renameSync(tmp, path.join(dir, `${id}.request.json`));
  const answer = path.join(dir, `${id}.answer.json`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(answer)) {
    if (Date.now() > deadline) {
      throw new Error(`the browser did not answer ${JSON.stringify(request)}`);
    }
    await sleep(50);
  }
  return JSON.parse(fs.readFileSync(answer, 'utf8'));
}

export const screenshot = (name: string) => browser({ action: 'screenshot', name });

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until<T>(what: string, probe: () => T | PromiseLike<T>, ok: (v: T) => boolean,
                               timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1)?.slice(0, 3000)}`);
    }
    await sleep(200);
    last = await probe();
  }
  return last;
}

export type Row = [string, number, number, string]; // code, line, column (1-based), message

/** `sffi-lsp check --format json .` in `folder`: per file (absolute path), its findings sorted. */
export async function cliFindings(folder: string): Promise<Record<string, Row[]>> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(PYTHON, ['-m', 'sffi_lsp', 'check', '--format', 'json', '.'], { cwd: folder, maxBuffer: 1 << 24 },
      (err, out, errText) => (err && (err as { code?: number }).code !== 1 ? reject(new Error(`${err}: ${errText}`)) : resolve(out)));
  });
  const found: Record<string, Row[]> = {};
  for (const f of JSON.parse(stdout) as { code: string; line: number; column: number; message: string; path: string; root: string }[]) {
    const file = path.resolve(f.root, f.path); // relative to its project's root
    (found[file] ??= []).push([f.code, f.line, f.column, f.message]);
  }
  for (const rows of Object.values(found)) {
    rows.sort(compareRows);
  }
  return found;
}

function compareRows(a: Row, b: Row): number {
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

/** What VS Code holds (every diagnostic collection, as the Problems panel shows them), per file. */
export function heldFindings(): Record<string, Row[]> {
  const held: Record<string, Row[]> = {};
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const rows = diagnostics
      .filter((d) => d.source === 'sffi')
      .map((d): Row => [String(typeof d.code === 'object' ? d.code.value : d.code), d.range.start.line + 1,
        d.range.start.character + 1, d.message]);
    if (rows.length) {
      (held[uri.fsPath] ??= []).push(...rows);
    }
  }
  for (const rows of Object.values(held)) {
    rows.sort(compareRows);
  }
  return held;
}

export function sameFindings(a: Record<string, Row[]>, b: Record<string, Row[]>): boolean {
  const keys = (x: Record<string, Row[]>) => Object.keys(x).sort();
  return JSON.stringify(keys(a)) === JSON.stringify(keys(b)) && keys(a).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension('simple-lang.sffi-lsp');
  if (!ext) {
    throw new Error('the extension under test is not loaded');
  }
  await ext.activate();
}

export function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) {
    throw new Error('no workspace folder');
  }
  return f.uri.fsPath;
}
