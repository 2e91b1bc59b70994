/**
 * Mapping from the editor's `sffi.*` settings to the object the server reads
 * (sent as `initializationOptions` and as the answer to `workspace/configuration`
 * for section `sffi`). Pure: no `vscode` import, takes a `get(key)` function whose
 * keys are relative to the `sffi` section (e.g. `cargo.profile`).
 */

export type SettingGetter = (key: string) => unknown;

export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';
export const SEVERITY_NAMES: readonly SeverityName[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ServerSettings {
  libraries: string[];
  searchPaths: string[];
  runtimePath: string | null;
  pluginManifest: string | null;
  externPrefixes: string[];
  select: string[];
  ignore: string[];
  perFileIgnores: Record<string, string[]>;
  exclude: string[];
  severity: Record<string, SeverityName>;
  cacheDir: string | null;
  generator: { command: string[] };
  cargo: { profile: string; features: string[]; extraArgs: string[]; env: Record<string, string> };
  diagnostics: { debounceMs: number };
  baseline: { path: string | null; show: boolean };
}

export const DEFAULT_GENERATOR_COMMAND: readonly string[] = ['simple', 'wrapper-gen', '${spec}'];

/** The defaults, identical to the ones contributed in package.json. */
export function defaultServerSettings(): ServerSettings {
  return {
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
    generator: { command: [...DEFAULT_GENERATOR_COMMAND] },
    cargo: { profile: 'release', features: [], extraArgs: [], env: {} },
    diagnostics: { debounceMs: 150 },
    baseline: { path: null, show: false },
  };
}

function stringArray(value: unknown, fallback: string[]): string[] {
  if (typeof value === 'string') {
    return value === '' ? fallback : [value];
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string');
  }
  return fallback;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function plainObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function severityTable(value: unknown): Record<string, SeverityName> {
  const out: Record<string, SeverityName> = {};
  const table = plainObject(value);
  if (!table) {
    return out;
  }
  for (const [code, level] of Object.entries(table)) {
    if (typeof level !== 'string') {
      continue;
    }
    const name = level.toLowerCase() as SeverityName;
    if (SEVERITY_NAMES.includes(name)) {
      out[code.toUpperCase()] = name;
    }
  }
  return out;
}

function codesByGlob(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const table = plainObject(value);
  if (!table) {
    return out;
  }
  for (const [glob, codes] of Object.entries(table)) {
    const list = stringArray(codes, []);
    if (list.length > 0) {
      out[glob] = list;
    }
  }
  return out;
}

function stringTable(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const table = plainObject(value);
  if (!table) {
    return out;
  }
  for (const [k, v] of Object.entries(table)) {
    if (typeof v === 'string') {
      out[k] = v;
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      out[k] = String(v);
    }
  }
  return out;
}

function nonNegativeInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/** Build the server's settings object from `get(key)`; invalid or missing values fall back to defaults. */
export function toServerSettings(get: SettingGetter): ServerSettings {
  const d = defaultServerSettings();
  const generatorCommand = stringArray(get('generator.command'), d.generator.command);
  const profile = get('cargo.profile');
  return {
    libraries: stringArray(get('libraries'), d.libraries),
    searchPaths: stringArray(get('searchPaths'), d.searchPaths),
    runtimePath: optionalString(get('runtimePath')),
    pluginManifest: optionalString(get('pluginManifest')),
    externPrefixes: stringArray(get('externPrefixes'), d.externPrefixes),
    select: stringArray(get('select'), d.select),
    ignore: stringArray(get('ignore'), d.ignore),
    perFileIgnores: codesByGlob(get('perFileIgnores')),
    exclude: stringArray(get('exclude'), d.exclude),
    severity: severityTable(get('severity')),
    cacheDir: optionalString(get('cacheDir')),
    generator: { command: generatorCommand.length > 0 ? generatorCommand : d.generator.command },
    cargo: {
      profile: typeof profile === 'string' && profile.trim() !== '' ? profile : d.cargo.profile,
      features: stringArray(get('cargo.features'), d.cargo.features),
      extraArgs: stringArray(get('cargo.extraArgs'), d.cargo.extraArgs),
      env: stringTable(get('cargo.env')),
    },
    diagnostics: { debounceMs: nonNegativeInt(get('diagnostics.debounceMs'), d.diagnostics.debounceMs) },
    baseline: { path: optionalString(get('baseline.path')), show: get('baseline.show') === true },
  };
}

/** Alias with the name used in the extension: the `initializationOptions` payload. */
export const toInitializationOptions = toServerSettings;

/**
 * Answer one `workspace/configuration` item: `sffi` gives the whole object,
 * `sffi.cargo` / `sffi.cargo.profile` a part of it; other sections give undefined.
 */
export function configurationForSection(section: string | undefined, settings: ServerSettings): unknown {
  if (section === undefined) {
    return undefined;
  }
  if (section === 'sffi') {
    return settings;
  }
  if (!section.startsWith('sffi.')) {
    return undefined;
  }
  let node: unknown = settings;
  for (const part of section.slice('sffi.'.length).split('.')) {
    const obj = plainObject(node);
    if (!obj || !(part in obj)) {
      return null;
    }
    node = obj[part];
  }
  return node;
}

/** Settings read only by the extension itself; a change needs a server restart. */
export const CLIENT_SETTING_KEYS: readonly string[] = ['server.path', 'server.args', 'interpreter'];
