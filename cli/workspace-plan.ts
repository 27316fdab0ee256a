// PATH arguments → a plan: the one path from sources to plan of every command.
// - `planWorkspace`: the files and folders of a workspace, read and taken through the workspace's phases
//   (compiler/workspace.ts: parse, check with the analyses, plan) — what `check`, `compile` and the
//   language server all run, so that what `check` accepts, `compile` compiles;
// - `planFromArgs` (`test`, `simulate`, `graph`, `worker`…): one `*.json` file is a plan written by
//   `nurture compile`, loaded and validated with `loadPlan`; otherwise `planWorkspace`, with the
//   diagnostics printed on stderr in the text form (exit 1 on errors) and the plan self-checked.
// The result also knows where each plan file's source text is, for messages that quote the sources.
import type { Diagnostic } from '../grammar/diagnostic.js';
import type { Plan } from '../runtime/plan-types.js';
import { CliError, useColor, type Context } from './context.js';
import { discoverPaths, ioReason, readSources, type SourcePath, type SourceText } from './files.js';
import { planPathsFor } from './plan-paths.js';
import { readFileSync } from 'node:fs';
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

export interface WorkspacePlan {
  sources: SourceText[];
  /** Every diagnostic of the workspace (parser, checker, analyses, lowering), sorted. */
  diagnostics: Diagnostic[];
  /** The plan, when no diagnostic is an error. */
  plan: Plan | undefined;
}

/**
 * Reads the files `found` among the PATH arguments `paths` and runs the workspace's phases up to the
 * plan (the plan's paths are relative to the workspace root of `paths`).
 */
export async function planWorkspace(paths: readonly string[], found: readonly SourcePath[], ctx: Context): Promise<WorkspacePlan> {
  return runPhases(readSources(found), ctx, planPathsFor(paths, ctx.cwd, found));
}

/** The workspace's phases up to the plan over sources already read. */
async function runPhases(sources: SourceText[], ctx: Context, planPath: (display: string) => string): Promise<WorkspacePlan> {
  const { Workspace } = await import('../compiler/workspace.js');
  const ws = new Workspace();
  for (const s of sources) ws.setFile(s.path, s.text);
  const { diagnostics, plan } = ws.plan({ compilerVersion: ctx.version, planPath });
  return { sources, diagnostics, plan };
}

/**
 * The runtime's verdict on a compiled plan (an object, or the text `compile` writes): the runtime only
 * runs validated plans, and a refusal is a compiler bug (exit 2, with the first JSON paths).
 */
export async function verifyPlan(plan: Plan | string): Promise<Plan> {
  const { loadPlan } = await import('../runtime/load-plan.js');
  const checked = loadPlan(plan);
  if (checked.ok) return checked.plan;
  const first = checked.errors.slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  throw new CliError(`internal error: the compiled plan does not pass the plan loader (this is a bug in nurture; please report it): ${first.join('; ')}`, 2);
}

/** Loads or compiles the plan; returns an exit status (1) after printing diagnostics when it has errors. */
export async function planFromArgs(paths: readonly string[], ctx: Context, command: string): Promise<LoadedPlan | number> {
  if (paths.length === 1 && paths[0]!.toLowerCase().endsWith('.json')) return loadJsonPlan(paths[0]!, ctx);
  const found = discoverPaths(paths, ctx.cwd, command);
  const { sources, diagnostics, plan } = await planWorkspace(paths, found, ctx);
  if (plan === undefined) {
    const { countDiagnostics, renderDiagnosticsText, renderSummary } = await import('./render-text.js');
    const { errors, warnings } = countDiagnostics(diagnostics);
    const color = useColor(ctx.stderr, ctx.env);
    const texts = new Map(sources.map((s) => [s.path, s.text]));
    let out = renderDiagnosticsText(diagnostics, (f) => texts.get(f), { color });
    out += renderSummary({ errors, warnings, files: sources.length }, { color });
    ctx.stderr.write(out);
    return 1;
  }
  return withSources(await verifyPlan(plan), sources, found.map((f) => f.display));
}

export type CompiledSources = { ok: true; loaded: LoadedPlan } | { ok: false; diagnostics: readonly Diagnostic[]; errors: number; warnings: number };

/**
 * Checks and compiles sources already read (from disk, or from git for `nurture diff`) through the same
 * workspace phases as `planWorkspace`; `planPath` maps a source's display path to its path in the plan.
 * Errors are returned, not printed.
 */
export async function compileSources(sources: SourceText[], ctx: Context, planPath: (display: string) => string): Promise<CompiledSources> {
  const { diagnostics, plan } = await runPhases(sources, ctx, planPath);
  const { countDiagnostics } = await import('./render-text.js');
  const { errors, warnings } = countDiagnostics(diagnostics);
  if (plan === undefined) return { ok: false, diagnostics, errors, warnings };
  return { ok: true, loaded: withSources(await verifyPlan(plan), sources, sources.map((s) => s.path)) };
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
