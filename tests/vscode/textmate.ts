// Loads the extension's TextMate grammar into vscode-textmate + vscode-oniguruma, the engine VS Code
// itself tokenises with, and renders a source as "scope snapshot" text for golden files.
//
// The two packages are devDependencies of the root package; when only vscode-extension/ has them
// installed (developing the extension alone), they are taken from there.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION = join(ROOT, 'vscode-extension');
export const GRAMMAR_PATH = join(EXTENSION, 'syntaxes', 'nurture.tmLanguage.json');

// The parts of vscode-textmate / vscode-oniguruma used here (typed locally so that type-checking
// does not depend on where the packages are installed).
interface IToken {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface IGrammar {
  tokenizeLine(line: string, state: unknown): { tokens: IToken[]; ruleStack: unknown };
}
interface Registry {
  loadGrammar(scopeName: string): Promise<IGrammar | null>;
}
interface TextMateModule {
  Registry: new (options: {
    onigLib: Promise<unknown>;
    loadGrammar(scopeName: string): Promise<unknown>;
  }) => Registry;
  INITIAL: unknown;
  parseRawGrammar(content: string, filePath: string): unknown;
}
interface OnigurumaModule {
  loadWASM(data: ArrayBuffer | Uint8Array): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

function requireFrom(name: string): { module: unknown; resolved: string } {
  const errors: string[] = [];
  for (const base of [join(ROOT, 'package.json'), join(EXTENSION, 'package.json')]) {
    try {
      const req = createRequire(base);
      const resolved = req.resolve(name);
      return { module: req(resolved), resolved };
    } catch (err) {
      errors.push((err as Error).message.split('\n')[0]!);
    }
  }
  throw new Error(`cannot load ${name} (run \`npm ci\` at the root): ${errors.join('; ')}`);
}

let grammarPromise: Promise<IGrammar> | undefined;

/** The nurture grammar, loaded once. */
export function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const tm = requireFrom('vscode-textmate').module as TextMateModule;
    const onig = requireFrom('vscode-oniguruma');
    const onigModule = onig.module as OnigurumaModule;
    const wasm = readFileSync(join(dirname(onig.resolved), 'onig.wasm'));
    await onigModule.loadWASM(wasm);
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new onigModule.OnigScanner(patterns),
        createOnigString: (text: string) => new onigModule.OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.nurture' ? tm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar('source.nurture');
    if (!grammar) throw new Error('source.nurture did not load');
    (loadGrammar as { initial?: unknown }).initial = tm.INITIAL;
    return grammar;
  })();
  return grammarPromise;
}

export interface ScopedToken {
  line: number;
  text: string;
  scopes: string[];
}

/** Tokenises a whole source, line by line, carrying the rule stack like the editor does. */
export async function tokenize(source: string): Promise<ScopedToken[]> {
  const grammar = await loadGrammar();
  let state = (loadGrammar as { initial?: unknown }).initial;
  const out: ScopedToken[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  });
  return out;
}

/**
 * The snapshot text: each source line, then one line per non-blank token with its scopes (the
 * root `source.nurture` left out). Whitespace-only tokens without a scope of their own are omitted.
 */
export async function snapshot(source: string): Promise<string> {
  const tokens = await tokenize(source);
  const lines = source.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(`> ${line}`);
    for (const t of tokens) {
      if (t.line !== i + 1) continue;
      const scopes = t.scopes.filter((sc) => sc !== 'source.nurture');
      if (t.text.trim() === '' && scopes.length === 0) continue;
      out.push(`  ${JSON.stringify(t.text)} ${scopes.join(' ') || '-'}`);
    }
  });
  return out.join('\n') + '\n';
}

/** The innermost scope of the token covering `text` on `line` (1-based), for targeted assertions. */
export async function scopesOf(source: string, line: number, text: string): Promise<string[]> {
  const tokens = await tokenize(source);
  const t = tokens.find((tok) => tok.line === line && tok.text === text);
  if (!t) {
    const onLine = tokens.filter((tok) => tok.line === line).map((tok) => JSON.stringify(tok.text));
    throw new Error(`no token ${JSON.stringify(text)} on line ${line}: ${onLine.join(' ')}`);
  }
  return t.scopes;
}
