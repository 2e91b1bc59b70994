import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import {
  CLIENT_COMMANDS,
  PALETTE_COMMANDS,
  PICK_EXCLUDE,
  PICK_GLOBS,
  ServerCommandKind,
  crateDirOf,
  describeCommandResult,
  executeCommandParams,
  isWrapperSpecPath,
} from './commands';
import { activePythonInterpreter } from './pythonExtension';
import { ExecFileLike, ResolveResult, makeImportChecker, resolveServerCommand } from './serverCommand';
import { CLIENT_SETTING_KEYS, ServerSettings, configurationForSection, toInitializationOptions } from './settings';
import { STATUS_NOTIFICATION, StatusParams, StatusView, clientStateStatus, formatStatus } from './status';

const CLIENT_ID = 'sffi'; // vscode-languageclient reads `sffi.trace.server` from this id
const CLIENT_NAME = 'SFFI Language Server';

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let starting: Promise<void> | undefined;

function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration('sffi', scope);
  return toInitializationOptions((key) => config.get(key));
}

function showStatus(view: StatusView): void {
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.backgroundColor =
    view.severity === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : view.severity === 'warning'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
  statusItem.show();
}

/** A workspace folder that holds the server's sources (for the `pip install <path>` hint). */
function localServerSource(): string | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') {
      continue;
    }
    const root = folder.uri.fsPath;
    const hasPackage = fs.existsSync(path.join(root, 'sffi_lsp', '__init__.py'));
    const hasProject = fs.existsSync(path.join(root, 'pyproject.toml')) || fs.existsSync(path.join(root, 'setup.py'));
    if (hasPackage && hasProject) {
      return root;
    }
  }
  return undefined;
}

function expandPath(value: string | undefined): string | undefined {
  if (!value) {
    return value;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  let out = value.replace(/\$\{workspaceFolder\}/g, folder);
  if (out === '~' || out.startsWith('~/')) {
    out = path.join(process.env.HOME ?? process.env.USERPROFILE ?? '', out.slice(1));
  }
  return out;
}

async function resolveCommand(): Promise<ResolveResult> {
  const config = vscode.workspace.getConfiguration('sffi');
  return resolveServerCommand(
    {
      serverPath: expandPath(config.get<string>('server.path')),
      serverArgs: config.get<string[]>('server.args'),
      interpreter: expandPath(config.get<string>('interpreter')),
    },
    {
      pythonExtensionInterpreter: () =>
        activePythonInterpreter(vscode.extensions, vscode.workspace.workspaceFolders?.[0]?.uri),
      checkImportable: makeImportChecker(execFile as unknown as ExecFileLike),
      localSourcePath: localServerSource(),
    },
  );
}

async function reportStartFailure(result: Extract<ResolveResult, { ok: false }>): Promise<void> {
  outputChannel.appendLine(result.message);
  showStatus(clientStateStatus('failed', result.message));
  const actions: string[] = [];
  if (result.installCommand) {
    actions.push('Copy Install Command');
  }
  actions.push('Open Settings');
  const choice = await vscode.window.showErrorMessage(result.message, ...actions);
  if (choice === 'Copy Install Command' && result.installCommand) {
    await vscode.env.clipboard.writeText(result.installCommand);
  } else if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:simple-lang.sffi-lsp');
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  showStatus(clientStateStatus('starting'));
  const resolved = await resolveCommand();
  if (!resolved.ok) {
    void reportStartFailure(resolved); // ONE notification; the client is not started
    return;
  }
  outputChannel.appendLine(`Starting ${resolved.command} ${resolved.args.join(' ')} (from ${resolved.source})`);

  const folder = vscode.workspace.workspaceFolders?.[0];
  // spawn() fails with ENOENT when cwd does not exist, which would blame the command.
  const cwd = folder?.uri.scheme === 'file' && fs.existsSync(folder.uri.fsPath) ? folder.uri.fsPath : undefined;
  const serverOptions: ServerOptions = {
    command: resolved.command,
    args: resolved.args,
    transport: TransportKind.stdio,
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'simple' },
      { scheme: 'file', language: 'wrapper-spec' },
      { scheme: 'untitled', language: 'simple' }, // checked with the rules that need no workspace
    ],
    outputChannel,
    initializationOptions: serverSettings(),
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => ({ action: CloseAction.DoNotRestart, message: 'The SFFI language server stopped. Run "SFFI: Restart server" to start it again.' }),
    },
    middleware: {
      workspace: {
        // The server reads exactly the camelCase keys of `toInitializationOptions`.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, i) => {
            if (item.section === 'sffi' || item.section?.startsWith('sffi.')) {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return configurationForSection(item.section, serverSettings(scope));
            }
            return answers[i];
          });
        },
      },
    },
  };

  const newClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  newClient.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => showStatus(formatStatus(params)));
  context.subscriptions.push(
    newClient.onDidChangeState((e) => {
      if (e.newState === State.Stopped && client === newClient) {
        showStatus(clientStateStatus('stopped'));
      } else if (e.newState === State.Running) {
        showStatus(formatStatus(undefined));
      }
    }),
  );
  client = newClient;
  try {
    await newClient.start();
  } catch (err) {
    const message = `SFFI: the language server failed to start: ${err instanceof Error ? err.message : String(err)}`;
    outputChannel.appendLine(message);
    showStatus(clientStateStatus('failed', message)); // the client has already shown an error notification
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.dispose(2000);
    } catch (err) {
      outputChannel.appendLine(`Error while stopping the server: ${String(err)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (starting) {
    await starting;
  }
  starting = (async () => {
    await stopClient();
    await startClient(context);
  })().finally(() => {
    starting = undefined;
  });
  await starting;
}

async function pickUri(kind: Exclude<ServerCommandKind, 'reindex'>, title: string, toTarget = (u: vscode.Uri) => u): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(PICK_GLOBS[kind], PICK_EXCLUDE, 500);
  const targets = files.map(toTarget);
  if (targets.length === 0) {
    void vscode.window.showInformationMessage(`SFFI: no candidates found (${PICK_GLOBS[kind]}).`);
    return undefined;
  }
  if (targets.length === 1) {
    return targets[0];
  }
  const items = targets
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const chosen = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return chosen?.uri;
}

async function targetFor(kind: ServerCommandKind, arg: unknown): Promise<vscode.Uri | undefined | null> {
  if (kind === 'reindex') {
    return null;
  }
  if (arg instanceof vscode.Uri) {
    if (kind === 'buildLibrary' && /Cargo\.toml$/i.test(arg.path)) {
      return arg.with({ path: crateDirOf(arg.path) });
    }
    return arg;
  }
  switch (kind) {
    case 'regenerateWrapper': {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc && (doc.languageId === 'wrapper-spec' || isWrapperSpecPath(doc.uri.path))) {
        return doc.uri;
      }
      return pickUri(kind, 'Regenerate the wrapper of which spec?');
    }
    case 'buildLibrary':
      return pickUri(kind, 'Build which crate?', (u) => u.with({ path: crateDirOf(u.path) }));
    case 'registerLibrary':
      return pickUri(kind, 'Register which library?');
  }
}

async function runServerCommand(kind: ServerCommandKind, arg: unknown): Promise<void> {
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('SFFI: the language server is not running.', 'Show Output').then((c) => c && outputChannel.show(true));
    return;
  }
  const target = await targetFor(kind, arg);
  if (target === undefined) {
    return; // cancelled or nothing to pick
  }
  const params = executeCommandParams(kind, target === null ? undefined : target.toString());
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `SFFI: ${params.command}` },
      () => client!.sendRequest('workspace/executeCommand', params),
    );
    const summary = describeCommandResult(result);
    if (summary) {
      void vscode.window.showInformationMessage(`SFFI: ${summary}`);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    outputChannel.appendLine(`${params.command} failed: ${message}`);
    void vscode.window.showErrorMessage(`SFFI: ${params.command} failed: ${message}`, 'Show Output').then((c) => c && outputChannel.show(true));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  statusItem = vscode.window.createStatusBarItem('sffi.status', vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'SFFI';
  statusItem.command = CLIENT_COMMANDS.showOutput;
  context.subscriptions.push(outputChannel, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => outputChannel.show(true)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, () => restart(context)),
  );
  for (const kind of Object.keys(PALETTE_COMMANDS) as ServerCommandKind[]) {
    context.subscriptions.push(
      vscode.commands.registerCommand(PALETTE_COMMANDS[kind], (arg?: unknown) => runServerCommand(kind, arg)),
    );
  }

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('sffi')) {
        return;
      }
      if (CLIENT_SETTING_KEYS.some((key) => e.affectsConfiguration(`sffi.${key}`))) {
        void restart(context);
        return;
      }
      if (client?.isRunning()) {
        void client.sendNotification('workspace/didChangeConfiguration', { settings: { sffi: serverSettings() } });
      }
    }),
  );

  await restart(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
