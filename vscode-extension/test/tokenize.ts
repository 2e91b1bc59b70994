import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const EXTENSION_ROOT = path.resolve(__dirname, '..', '..');

const GRAMMAR_FILES: Record<string, string> = {
  'source.simple': 'syntaxes/simple.tmLanguage.json',
  'source.wrapper-spec': 'syntaxes/wrapper-spec.tmLanguage.json',
};

let registry: vsctm.Registry | undefined;

function getRegistry(): vsctm.Registry {
  if (registry) {
    return registry;
  }
  const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
  const wasm = fs.readFileSync(wasmPath);
  const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
  registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName: string) => {
      const file = GRAMMAR_FILES[scopeName];
      if (!file) {
        return null;
      }
      const full = path.join(EXTENSION_ROOT, file);
      return vsctm.parseRawGrammar(fs.readFileSync(full, 'utf8'), full);
    },
  });
  return registry;
}

export interface Token {
  text: string;
  scopes: string[];
}

/** Tokenise `source` (one or more lines); returns one token list per line. */
export async function tokenize(scopeName: string, source: string): Promise<Token[][]> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) {
    throw new Error(`grammar ${scopeName} not found`);
  }
  let state = vsctm.INITIAL;
  const out: Token[][] = [];
  for (const line of source.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    out.push(
      result.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes })),
    );
    state = result.ruleStack;
  }
  return out;
}

/** The scopes of the first token whose text is exactly `text`. */
export function scopesOf(tokens: Token[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  if (!token) {
    throw new Error(`no token '${text}' in ${JSON.stringify(tokens.map((t) => t.text))}`);
  }
  return token.scopes;
}

export function dump(tokens: Token[][]): string {
  return tokens
    .map((line) => line.map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n'))
    .join('\n--\n');
}
