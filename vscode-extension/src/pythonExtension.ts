/**
 * The active interpreter of the Python extension (ms-python.python), if that extension
 * is installed. No top-level `vscode` import: the `extensions` namespace is passed in.
 */

export const PYTHON_EXTENSION_ID = 'ms-python.python';

interface ExtensionLike {
  isActive: boolean;
  exports: unknown;
  activate(): PromiseLike<unknown>;
}

export interface ExtensionsLike {
  getExtension(id: string): ExtensionLike | undefined;
}

interface EnvironmentPath {
  id?: string;
  path?: string;
}

interface ResolvedEnvironment {
  executable?: { uri?: { fsPath?: string } | undefined; sysPrefix?: string };
  path?: string;
}

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: unknown): EnvironmentPath | undefined;
    resolveEnvironment?(env: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: unknown): { execCommand?: string[] | undefined } | undefined;
  };
}

/**
 * `exports.environments.getActiveEnvironmentPath()` then `resolveEnvironment()`;
 * falls back to the legacy `settings.getExecutionDetails()`. Undefined when the
 * extension is missing, fails to activate, or has no interpreter selected.
 */
export async function activePythonInterpreter(extensions: ExtensionsLike, resource?: unknown): Promise<string | undefined> {
  const ext = extensions.getExtension(PYTHON_EXTENSION_ID);
  if (!ext) {
    return undefined;
  }
  let api: PythonApi | undefined;
  try {
    api = (ext.isActive ? ext.exports : await ext.activate()) as PythonApi | undefined;
  } catch {
    return undefined;
  }
  if (!api) {
    return undefined;
  }
  const envs = api.environments;
  if (envs?.getActiveEnvironmentPath) {
    const envPath = envs.getActiveEnvironmentPath(resource);
    if (envPath) {
      if (envs.resolveEnvironment) {
        try {
          const resolved = await envs.resolveEnvironment(envPath);
          const exe = resolved?.executable?.uri?.fsPath;
          if (exe) {
            return exe;
          }
        } catch {
          // fall through to the unresolved path
        }
      }
      if (envPath.path) {
        return envPath.path;
      }
    }
  }
  const execCommand = api.settings?.getExecutionDetails?.(resource)?.execCommand;
  if (Array.isArray(execCommand) && typeof execCommand[0] === 'string' && execCommand[0] !== '') {
    return execCommand[0];
  }
  return undefined;
}
