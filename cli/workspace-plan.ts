// PATH arguments → a plan, for the commands that run one (`test`, `simulate`):
// - one `*.json` file: a plan written by `nurture compile`, loaded and validated with `loadPlan`;
// - otherwise the files and folders of a workspace: checked like `nurture check` (diagnostics printed
//   on stderr in the text form, exit 1 on errors), then compiled with `compilePlan`.
// The result also knows where each plan file's source text is, for messages that quote the sources.
import type { Plan } from '../runtime/plan-types.js';
import { CliError, useColor, type Context } from './context.js';
import { discoverPaths, ioReason, readSources, type SourceText } from './files.js';
import { planPathsFor } from './plan-paths.js';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { resolve } from 'node:path';

export interface LoadedPlan {
  plan: Plan;
  /** The source files (empty for a `.json` plan). */
  sources: SourceText[];
  /** Every file read (as displayed, relative to the working folder): the sources, or the plan .json. */
  inputs: string[];
  /** The path to show for a plan file index (as typed on the command line when the sources are at hand). */
  display(file: number): string;
  /** The text of a plan file, when the sources are at hand. */
  text(file: number): string | undefined;
}

/** Loads or compiles the plan; returns an exit status (1) after printing diagnostics when it has errors. */
export async function planFromArgs(paths: readonly string[], ctx: Context, command: string): Promise<LoadedPlan | number> {
  if (paths.length === 1 && paths[0]!.toLowerCase().endsWith('.json')) return loadJsonPlan(paths[0]!, ctx);
  const found = discoverPaths(paths, ctx.cwd, command);
  const sources = readSources(found);
  const r = await compileSources(sources, ctx, planPathsFor(paths, ctx.cwd, found));
  if (r.ok) return r.loaded;
  const color = useColor(ctx.stderr, ctx.env);
  const { renderDiagnosticsText, renderSummary } = await import('./render-text.js');
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  let out = renderDiagnosticsText(r.diagnostics, (f) => texts.get(f), { color });
  out += renderSummary({ errors: r.errors, warnings: r.warnings, files: sources.length }, { color });
  ctx.stderr.write(out);
  return 1;
}

export type CompiledSources = { ok: true; loaded: LoadedPlan } | { ok: false; diagnostics: readonly Diagnostic[]; errors: number; warnings: number };

/**
 * Checks and compiles sources already read (from disk, or from git for `nurture diff`); `planPath` maps a
 * source's display path to its path in the plan. Errors are returned, not printed.
 */
export async function compileSources(sources: SourceText[], ctx: Context, planPath: (display: string) => string): Promise<CompiledSources> {
  const { Workspace } = await import('../compiler/workspace.js');
  const ws = new Workspace();
  for (const s of sources) ws.setFile(s.path, s.text);
  const { diagnostics, model } = ws.check();
  const { countDiagnostics } = await import('./render-text.js');
  const { errors, warnings } = countDiagnostics(diagnostics);
  if (errors > 0) return { ok: false, diagnostics, errors, warnings };

  const { compilePlan } = await import('../compiler/lower/index.js');
  let compiled: Plan;
  try {
    compiled = compilePlan(model, sources, { compilerVersion: ctx.version, planPath });
  } catch (e) {
    throw new CliError(`cannot compile the workspace: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  // The runtime only runs validated plans: this also catches a lowering bug with a precise path.
  const { loadPlan } = await import('../runtime/load-plan.js');
  const checked = loadPlan(compiled);
  if (!checked.ok) {
    const first = checked.errors.slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new CliError(`internal error: the compiled plan is invalid (a compiler bug): ${first.join('; ')}`, 2);
  }
  return { ok: true, loaded: withSources(checked.plan, sources, sources.map((s) => s.path)) };
}

async function loadJsonPlan(path: string, ctx: Context): Promise<LoadedPlan | number> {
  let text: string;
  try {
    text = readFileSync(resolve(ctx.cwd, path), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read \`${path}\`: ${ioReason(e)}`);
  }
  const { loadPlan } = await import('../runtime/load-plan.js');
  const r = loadPlan(text);
  if (!r.ok) {
    let out = '';
    for (const e of r.errors) out += `${path}: invalid plan: ${e.path === '' ? '' : `${e.path}: `}${e.message}\n`;
    ctx.stderr.write(out);
    return 1;
  }
  return withSources(r.plan, [], [path]);
}

/** Pairs the plan's files (paths relative to the workspace root) with the source files as displayed. */
export function withSources(plan: Plan, sources: SourceText[], inputs: string[] = []): LoadedPlan {
  const files = plan.source.files;
  const byFile: (SourceText | undefined)[] = files.map((f) => sources.find((s) => s.path === f.path) ?? sources.find((s) => s.path.endsWith('/' + f.path)));
  if (byFile.some((s) => s === undefined) && sources.length === files.length) {
    // Both lists are sorted by path: pair them in order.
    files.forEach((_, i) => (byFile[i] ??= sources[i]));
  }
  return {
    plan,
    sources,
    inputs,
    display: (i) => byFile[i]?.path ?? files[i]?.path ?? '?',
    text: (i) => byFile[i]?.text,
  };
}
