/**
 * How the language server is started. Pure: no top-level `vscode` import; the
 * settings and the environment probes are passed in, so every branch is unit-testable.
 *
 * Resolution order:
 *   1. `sffi.server.path` (an executable) with `sffi.server.args` (default `["serve"]`)
 *   2. `sffi.interpreter` (a Python executable)
 *   3. the Python extension's active interpreter (ms-python.python), if installed
 *   4. `python3` on PATH
 * With an interpreter the command is `<python> -m sffi_lsp serve`, after checking that
 * `<python> -c "import sffi_lsp"` succeeds.
 */

export const DEFAULT_SERVER_ARGS: readonly string[] = ['serve'];
export const DEFAULT_PYTHON = 'python3';
export const PYPI_PACKAGE = 'sffi-lsp';
export const PYTHON_MODULE = 'sffi_lsp';

export interface ClientSettings {
  /** `sffi.server.path` */
  serverPath?: string | null;
  /** `sffi.server.args` */
  serverArgs?: readonly string[] | null;
  /** `sffi.interpreter` */
  interpreter?: string | null;
}

export type CommandSource = 'server.path' | 'interpreter' | 'pythonExtension' | 'path';

export interface ServerCommand {
  command: string;
  args: string[];
  source: CommandSource;
}

export type ImportCheck =
  | { ok: true }
  | { ok: false; reason: 'missing-package' | 'interpreter-not-found' | 'error'; detail?: string };

export interface ResolveHelpers {
  /** Path of the Python extension's active interpreter; undefined when the extension is absent or has none. */
  pythonExtensionInterpreter?: () => Promise<string | undefined>;
  /** Runs `<python> -c "import sffi_lsp"`. */
  checkImportable: (python: string) => Promise<ImportCheck>;
  /** Local checkout of the server (a folder with pyproject.toml and sffi_lsp/), for the install hint. */
  localSourcePath?: string;
  /** Fallback interpreter name, default `python3`. */
  defaultPython?: string;
}

export type ResolveResult =
  | ({ ok: true } & ServerCommand)
  | { ok: false; source: CommandSource; python: string; reason: string; message: string; installCommand?: string };

function nonEmpty(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** `<python> -m sffi_lsp serve` */
export function interpreterCommand(python: string): { command: string; args: string[] } {
  return { command: python, args: ['-m', PYTHON_MODULE, 'serve'] };
}

/** The argv that checks the package is importable (run without a shell). */
export function importCheckArgs(): string[] {
  return ['-c', `import ${PYTHON_MODULE}`];
}

/** Quote an argument for display in a copy-pasteable shell command. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

export function installCommand(python: string, localSourcePath?: string): string {
  const target = nonEmpty(localSourcePath) ? localSourcePath : PYPI_PACKAGE;
  return `${shellQuote(python)} -m pip install ${shellQuote(target)}`;
}

/** The one error message shown when the server package is not importable. */
export function missingPackageMessage(python: string, localSourcePath?: string): string {
  let text =
    `SFFI: the language server package '${PYTHON_MODULE}' is not installed for ${python}. ` +
    `Install it with: ${installCommand(python)}`;
  if (nonEmpty(localSourcePath)) {
    text += ` (or from this checkout: ${installCommand(python, localSourcePath)})`;
  }
  text += ", or set 'sffi.interpreter' / 'sffi.server.path'.";
  return text;
}

export function interpreterNotFoundMessage(python: string, source: CommandSource): string {
  const origin =
    source === 'interpreter'
      ? "set in 'sffi.interpreter'"
      : source === 'pythonExtension'
        ? "selected in the Python extension"
        : 'looked up on PATH';
  return (
    `SFFI: cannot run the Python interpreter '${python}' (${origin}). ` +
    "Install Python 3 or set 'sffi.interpreter' to a Python executable, or 'sffi.server.path' to the server executable."
  );
}

/** Which interpreter to use, and where it came from (no import check). */
export async function resolveInterpreter(
  settings: ClientSettings,
  helpers: Pick<ResolveHelpers, 'pythonExtensionInterpreter' | 'defaultPython'>,
): Promise<{ python: string; source: CommandSource }> {
  if (nonEmpty(settings.interpreter)) {
    return { python: settings.interpreter, source: 'interpreter' };
  }
  if (helpers.pythonExtensionInterpreter) {
    let fromExtension: string | undefined;
    try {
      fromExtension = await helpers.pythonExtensionInterpreter();
    } catch {
      fromExtension = undefined; // extension broken or API changed: fall through
    }
    if (nonEmpty(fromExtension)) {
      return { python: fromExtension, source: 'pythonExtension' };
    }
  }
  return { python: nonEmpty(helpers.defaultPython) ? helpers.defaultPython : DEFAULT_PYTHON, source: 'path' };
}

/** Full resolution: the command to spawn, or the reason it cannot be started. */
export async function resolveServerCommand(settings: ClientSettings, helpers: ResolveHelpers): Promise<ResolveResult> {
  if (nonEmpty(settings.serverPath)) {
    const args =
      Array.isArray(settings.serverArgs) ? settings.serverArgs.filter((a) => typeof a === 'string') : [...DEFAULT_SERVER_ARGS];
    return { ok: true, command: settings.serverPath, args, source: 'server.path' };
  }
  const { python, source } = await resolveInterpreter(settings, helpers);
  const check = await helpers.checkImportable(python);
  if (check.ok) {
    return { ok: true, ...interpreterCommand(python), source };
  }
  if (check.reason === 'interpreter-not-found') {
    return { ok: false, source, python, reason: check.reason, message: interpreterNotFoundMessage(python, source) };
  }
  const message =
    check.reason === 'error'
      ? `SFFI: 'import ${PYTHON_MODULE}' failed with ${python}: ${check.detail ?? 'unknown error'}. ` +
        `Reinstall it with: ${installCommand(python, helpers.localSourcePath)}`
      : missingPackageMessage(python, helpers.localSourcePath);
  return {
    ok: false,
    source,
    python,
    reason: check.reason,
    message,
    installCommand: installCommand(python, helpers.localSourcePath),
  };
}

/** Minimal `child_process.execFile` shape, so the checker can be tested with a fake. */
export type ExecFileLike = (
  file: string,
  args: readonly string[],
  options: { timeout?: number; windowsHide?: boolean },
  callback: (error: (Error & { code?: unknown }) | null, stdout: string, stderr: string) => void,
) => unknown;

/** An import checker built on execFile (no shell). */
export function makeImportChecker(execFile: ExecFileLike, timeoutMs = 20000): (python: string) => Promise<ImportCheck> {
  return (python: string) =>
    new Promise<ImportCheck>((resolve) => {
      try {
        execFile(python, importCheckArgs(), { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
          if (!error) {
            resolve({ ok: true });
          } else if (error.code === 'ENOENT' || error.code === 'EACCES') {
            resolve({ ok: false, reason: 'interpreter-not-found', detail: error.message });
          } else if (/ModuleNotFoundError|No module named/.test(String(stderr))) {
            resolve({ ok: false, reason: 'missing-package', detail: String(stderr).trim() });
          } else {
            resolve({ ok: false, reason: 'error', detail: (String(stderr).trim() || error.message).slice(0, 2000) });
          }
        });
      } catch (err) {
        resolve({ ok: false, reason: 'interpreter-not-found', detail: String(err) });
      }
    });
}
