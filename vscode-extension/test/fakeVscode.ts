/* A small stand-in for the `vscode` module, enough to run dist/extension.js and the language client. */
import { EventEmitter as NodeEmitter } from 'events';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...ds: { dispose(): unknown }[]) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose() {
    this.fn();
  }
}

export class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  static file(p: string) {
    return new Uri('file', '', p);
  }
  static parse(s: string) {
    const m = /^([a-z]+):\/\/([^/]*)(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2], decodeURIComponent(m[3])) : new Uri('file', '', s);
  }
  get fsPath() {
    return this.path;
  }
  with(change: { path?: string }) {
    return new Uri(this.scheme, this.authority, change.path ?? this.path);
  }
  toString() {
    return `${this.scheme}://${this.authority}${encodeURI(this.path)}`;
  }
  toJSON() {
    return { scheme: this.scheme, path: this.path };
  }
}

/** Anything not modelled: callable, returns a disposable, every property is another such proxy. */
function permissive(name: string): unknown {
  const fn = function () {
    return permissive(`${name}()`);
  };
  return new Proxy(fn, {
    get(_t, prop) {
      if (prop === 'dispose') return () => undefined;
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      return permissive(`${name}.${String(prop)}`);
    },
  });
}

export function createFakeVscode(settings: Record<string, unknown>) {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const messages: { kind: string; text: string }[] = [];
  const statusItems: Record<string, unknown>[] = [];
  const outputs: string[] = [];
  const bus = new NodeEmitter();

  const config = (section?: string) => ({
    get: (key: string, dflt?: unknown) => {
      const full = section ? `${section}.${key}` : key;
      return full in settings ? settings[full] : dflt;
    },
    has: (key: string) => (section ? `${section}.${key}` : key) in settings,
    inspect: () => undefined,
    update: async () => undefined,
  });

  const outputChannel = (name: string) => ({
    name,
    append: (s: string) => outputs.push(s),
    appendLine: (s: string) => outputs.push(s),
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
    trace: () => undefined, debug: () => undefined, info: (s: string) => outputs.push(s), warn: (s: string) => outputs.push(s), error: (s: string) => outputs.push(String(s)),
    logLevel: 2,
    onDidChangeLogLevel: new EventEmitter<number>().event,
  });

  const base: Record<string, unknown> = {
    EventEmitter,
    Disposable,
    Uri,
    ThemeColor: class { constructor(readonly id: string) {} },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    version: '1.90.0',
    env: { language: 'en', appName: 'fake', machineId: 'x', clipboard: { writeText: async () => undefined } },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        if (commands.has(id)) throw new Error(`command '${id}' already exists`);
        commands.set(id, fn);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
      getCommands: async () => [...commands.keys()],
    },
    window: {
      createOutputChannel: outputChannel,
      createStatusBarItem: () => {
        const item: Record<string, unknown> = { show: () => undefined, hide: () => undefined, dispose: () => undefined };
        statusItems.push(item);
        return new Proxy(item, {
          set(t, p, v) {
            t[p as string] = v;
            bus.emit('status', { [p as string]: v });
            return true;
          },
        });
      },
      showErrorMessage: async (text: string) => {
        messages.push({ kind: 'error', text });
        bus.emit('message');
        return undefined;
      },
      showInformationMessage: async (text: string) => {
        messages.push({ kind: 'info', text });
        bus.emit('message');
        return undefined;
      },
      showWarningMessage: async (text: string) => {
        messages.push({ kind: 'warning', text });
        return undefined;
      },
      withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) =>
        task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => new Disposable() }),
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: new EventEmitter().event,
      onDidChangeVisibleTextEditors: new EventEmitter().event,
      tabGroups: { all: [], onDidChangeTabs: new EventEmitter().event, onDidChangeTabGroups: new EventEmitter().event },
      showQuickPick: async () => undefined,
    },
    workspace: {
      workspaceFolders: [{ uri: Uri.file('/tmp/sffi-fake-ws'), name: 'ws', index: 0 }],
      getConfiguration: (section?: string) => config(section),
      getWorkspaceFolder: () => undefined,
      onDidChangeConfiguration: new EventEmitter().event,
      onDidOpenTextDocument: new EventEmitter().event,
      onDidCloseTextDocument: new EventEmitter().event,
      onDidChangeTextDocument: new EventEmitter().event,
      onDidSaveTextDocument: new EventEmitter().event,
      onWillSaveTextDocument: new EventEmitter().event,
      onDidChangeWorkspaceFolders: new EventEmitter().event,
      onDidOpenNotebookDocument: new EventEmitter().event,
      onDidCloseNotebookDocument: new EventEmitter().event,
      onDidSaveNotebookDocument: new EventEmitter().event,
      onDidChangeNotebookDocument: new EventEmitter().event,
      textDocuments: [],
      notebookDocuments: [],
      findFiles: async () => [],
      asRelativePath: (p: unknown) => String(p),
      fs: permissive('workspace.fs'),
    },
    extensions: { getExtension: () => undefined, all: [] },
    languages: new Proxy(
      { match: () => 0, getDiagnostics: () => [] },
      { get: (t: Record<string, unknown>, p) => (p in t ? t[p as string] : () => new Disposable()) },
    ),
  };

  const vscode = new Proxy(base, {
    get(t, p) {
      if (p in t) return t[p as string];
      if (p === '__esModule' || p === 'default' || p === 'then') return undefined;
      return permissive(String(p));
    },
  });
  return { vscode, commands, messages, statusItems, outputs, bus };
}
