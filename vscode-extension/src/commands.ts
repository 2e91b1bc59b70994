/**
 * Palette commands and the server commands they call. Pure: no `vscode` import.
 *
 * vscode-languageclient registers the server's `executeCommandProvider.commands` under
 * their own names, so the palette commands use `sffi.palette.*` ids and send
 * `workspace/executeCommand` with the server names below.
 */

export const SERVER_COMMANDS = {
  regenerateWrapper: 'sffi.regenerateWrapper',
  buildLibrary: 'sffi.buildLibrary',
  registerLibrary: 'sffi.registerLibrary',
  reindex: 'sffi.reindex',
} as const;

export type ServerCommandKind = keyof typeof SERVER_COMMANDS;

export const PALETTE_COMMANDS: Record<ServerCommandKind, string> = {
  regenerateWrapper: 'sffi.palette.regenerateWrapper',
  buildLibrary: 'sffi.palette.buildLibrary',
  registerLibrary: 'sffi.palette.registerLibrary',
  reindex: 'sffi.palette.reindex',
};

export const CLIENT_COMMANDS = {
  restartServer: 'sffi.restartServer',
  showOutput: 'sffi.showOutput',
} as const;

/** Globs used to offer candidates in a quick pick. */
export const PICK_GLOBS: Record<Exclude<ServerCommandKind, 'reindex'>, string> = {
  regenerateWrapper: '**/*.wrapper_spec',
  buildLibrary: '**/.build/rust/**/Cargo.toml',
  registerLibrary: '**/*.{so,dylib,dll}',
};

export const PICK_EXCLUDE = '**/{node_modules,.git,target}/**';

/** `workspace/executeCommand` params for one server command; `uri` is a URI string. */
export function executeCommandParams(kind: ServerCommandKind, uri?: string): { command: string; arguments: unknown[] } {
  const command = SERVER_COMMANDS[kind];
  switch (kind) {
    case 'regenerateWrapper':
      return { command, arguments: [{ spec: requireUri(kind, uri) }] };
    case 'buildLibrary':
      return { command, arguments: [{ crate: requireUri(kind, uri) }] };
    case 'registerLibrary':
      return { command, arguments: [{ library: requireUri(kind, uri) }] };
    case 'reindex':
      return { command, arguments: [] };
  }
}

function requireUri(kind: ServerCommandKind, uri: string | undefined): string {
  if (typeof uri !== 'string' || uri === '') {
    throw new Error(`${SERVER_COMMANDS[kind]} needs a file URI`);
  }
  return uri;
}

export function isWrapperSpecPath(path: string): boolean {
  return /\.wrapper_spec$/i.test(path);
}

/** The crate directory of a `Cargo.toml` URI or path (drops the last segment). */
export function crateDirOf(cargoToml: string): string {
  return cargoToml.replace(/[\\/]Cargo\.toml$/i, '');
}

/** A one-line summary of what a server command returned, or undefined if there is nothing to show. */
export function describeCommandResult(result: unknown): string | undefined {
  if (result === null || result === undefined) {
    return undefined;
  }
  if (typeof result === 'string') {
    return result.trim() === '' ? undefined : result;
  }
  if (typeof result === 'object') {
    const r = result as Record<string, unknown>;
    for (const key of ['message', 'summary', 'status']) {
      if (typeof r[key] === 'string' && (r[key] as string).trim() !== '') {
        return r[key] as string;
      }
    }
  }
  return undefined;
}
