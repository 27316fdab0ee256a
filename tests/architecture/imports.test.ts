// The import rules of docs/architecture.md, read from the source: every import, export-from, dynamic
// import() and require() of a relative path is resolved to the folder it reaches, and a folder may reach
// only the folders its rule lists. Also: no code built from text (eval, new Function) in the compiler or the
// runtime, and the runtime's engine imports no Node module or package (it is pure: stores and services
// are at the edge). When a rule changes, change docs/architecture.md with it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const SCANNED = ['grammar', 'compiler', 'formatter', 'runtime', 'server', 'lsp', 'cli', 'vscode-extension', 'bench', 'tests', 'examples', 'scripts', 'docs'];
const SKIP = new Set(['node_modules', 'dist', 'out', 'fixtures']);

/**
 * Folder → the folders (or files) outside itself that it may import, each with everything under it. The
 * most specific folder listed rules a file (runtime/engine/x.ts is ruled by runtime/engine, not runtime).
 */
const MAY_IMPORT: Record<string, string[]> = {
  grammar: [],
  compiler: ['grammar', 'runtime'],
  'compiler/graph': ['runtime'], // drawn from the plan alone, not the syntax tree
  formatter: ['grammar'],
  runtime: [],
  'runtime/engine': ['runtime'], // the plan's types and helpers beside it
  'runtime/report': ['runtime'], // the HTML report: the report's JSON types, dates from engine/time.ts
  'runtime/store': ['runtime'], // the edge: the engine and the plan, kept on disk or in PostgreSQL
  server: ['runtime'], // `nurture serve`: HTTP over the runtime and its stores
  lsp: ['grammar', 'compiler', 'formatter', 'cli/ignore-files.ts'],
  cli: ['grammar', 'compiler', 'formatter', 'runtime', 'lsp', 'server'],
  'cli/diff': ['cli', 'runtime'], // compares plans; compiles through cli/workspace-plan.ts
  'vscode-extension': ['cli', 'compiler/graph', 'runtime'],
  bench: ['grammar', 'compiler', 'formatter', 'runtime', 'server', 'lsp', 'cli', 'tests'],
  tests: ['grammar', 'compiler', 'formatter', 'runtime', 'server', 'lsp', 'cli', 'vscode-extension', 'bench', 'examples', 'dist'],
  examples: ['dist'],
  scripts: ['dist'],
  docs: ['dist'],
};

/** Exceptions that win over MAY_IMPORT: the stores are the runtime's edge, nothing in its core or the compiler uses them. */
const MAY_NOT_IMPORT: Record<string, string[]> = {
  runtime: ['runtime/store'],
  'runtime/engine': ['runtime/store'],
  'runtime/report': ['runtime/store'],
  compiler: ['runtime/store'],
  'compiler/graph': ['runtime/store'],
};

/** Whether `path` (repository-relative) is `folder` or inside it. */
const within = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** The rule that governs a file: the longest folder in MAY_IMPORT that holds it. */
function ruleOf(file: string): string {
  return Object.keys(MAY_IMPORT)
    .filter((folder) => within(file, folder))
    .sort((a, b) => b.length - a.length)[0]!;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(REPO, dir), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const FILES = SCANNED.flatMap((dir) => sourceFiles(dir));

interface Import {
  file: string;
  line: number;
  specifier: string;
  /** The repository-relative path a relative specifier reaches (`.js` read as the `.ts` it is built from). */
  target: string | undefined;
}

/** Every module a file names (import, export-from, import(), require()), with its line. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((ref) => ({
    file,
    line: text.slice(0, ref.pos).split('\n').length,
    specifier: ref.fileName,
    target: ref.fileName.startsWith('.') ? relative(REPO, resolve(dirname(join(REPO, file)), ref.fileName)).replace(/\.js$/, '.ts') : undefined,
  }));
}

const IMPORTS = FILES.flatMap(importsOf);
const show = (i: Import): string => `${i.file}:${i.line} imports '${i.specifier}'`;

/** Why an import breaks its file's rule, or undefined when it keeps it. */
function breach(i: Import): string | undefined {
  const target = i.target;
  if (target === undefined) return undefined;
  const rule = ruleOf(i.file);
  const denied = (MAY_NOT_IMPORT[rule] ?? []).some((folder) => within(target, folder));
  const allowed = within(target, rule) || MAY_IMPORT[rule]!.some((folder) => within(target, folder));
  if (allowed && !denied) return undefined;
  const may = MAY_IMPORT[rule]!.length === 0 ? 'nothing outside itself' : `only itself and ${MAY_IMPORT[rule]!.join(', ')}`;
  const not = MAY_NOT_IMPORT[rule] ? `, never ${MAY_NOT_IMPORT[rule].join(', ')}` : '';
  return `${show(i)}: ${rule}/ may import ${may}${not} (docs/architecture.md)`;
}

describe('import rules (docs/architecture.md)', () => {
  it('reads the source tree', () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(IMPORTS.filter((i) => i.target !== undefined).length).toBeGreaterThan(1000);
  });

  it('every folder imports only what its rule allows', () => {
    expect(IMPORTS.map(breach).filter((b) => b !== undefined)).toEqual([]);
  });

  it('nothing but tests and bench imports tests/ or bench/', () => {
    const outside = IMPORTS.filter((i) => !within(i.file, 'tests') && !within(i.file, 'bench'));
    const bad = outside.filter((i) => i.target !== undefined && (within(i.target, 'tests') || within(i.target, 'bench'))).map(show);
    expect(bad).toEqual([]);
  });

  it("the runtime's engine imports no Node module or package (pure and deterministic)", () => {
    const bad = IMPORTS.filter((i) => within(i.file, 'runtime/engine') && !i.specifier.startsWith('.')).map(show);
    expect(bad).toEqual([]);
  });

  it('no code is built from text in compiler/ or runtime/ (plans are data)', () => {
    const bad: string[] = [];
    for (const file of FILES.filter((f) => within(f, 'compiler') || within(f, 'runtime'))) {
      const source = ts.createSourceFile(file, readFileSync(join(REPO, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        const callee = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.expression : undefined;
        if (callee !== undefined && ts.isIdentifier(callee) && (callee.text === 'eval' || callee.text === 'Function')) {
          bad.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 60)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(bad).toEqual([]);
  });
});
