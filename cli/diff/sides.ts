// The two sides of `nurture diff`: a workspace (files and folders), a plan (.json), or either as it is in
// a git revision (`REV:PATH`, or `--base REV` for the PATHs). Each becomes a checked plan with its source
// texts, so that changes and decisions can be shown as `file:line` and the source line itself.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plan } from '../../runtime/plan-types.js';
import { CliError, type Context } from '../context.js';
import { discoverPaths, ioReason, readSources, type SourceText } from '../files.js';
import { planPathsFor, workspaceRoot } from '../plan-paths.js';
import { compileSources, withSources, type LoadedPlan } from '../workspace-plan.js';
import { filesAt, resolveRevision } from './git.js';

export interface SideSpec {
  /** The paths, relative to the working folder. */
  paths: string[];
  /** A git revision to read them from, or null for the working tree. */
  rev: string | null;
}

export interface Side {
  /** How it was named: `examples/b2b`, `main:examples/b2b`, `plan.json`. */
  label: string;
  /** The commit read, for a git revision. */
  commit: string | null;
  loaded: LoadedPlan;
}

/** `REV:PATH` names a git revision when no file of that name exists (`main:examples/b2b`, `HEAD~1:.`). */
export function parseSide(arg: string, cwd: string): SideSpec {
  const m = /^([^:]+):(.*)$/.exec(arg);
  if (m !== null && !/^[A-Za-z]$/.test(m[1]!) && !existsSync(resolve(cwd, arg))) return { paths: [m[2] === '' ? '.' : m[2]!], rev: m[1]! };
  return { paths: [arg], rev: null };
}

export function sideLabel(spec: SideSpec): string {
  const paths = spec.paths.join(' ');
  return spec.rev === null ? paths : `${spec.rev}:${paths}`;
}

/** Reads, checks and compiles one side; a workspace with errors is exit 1 with its first error. */
export async function loadSide(spec: SideSpec, ctx: Context, role: 'OLD' | 'NEW'): Promise<Side> {
  const label = sideLabel(spec);
  const isPlan = spec.paths.length === 1 && spec.paths[0]!.toLowerCase().endsWith('.json');
  let commit: string | null = null;
  let sources: SourceText[];
  let planPath: (display: string) => string;
  if (spec.rev === null) {
    if (isPlan) return { label, commit, loaded: await readPlan(spec.paths[0]!, () => readFileText(spec.paths[0]!, ctx), label, role) };
    const found = discoverPaths(spec.paths, ctx.cwd, 'diff');
    sources = readSources(found);
    planPath = planPathsFor(spec.paths, ctx.cwd, found);
  } else {
    commit = resolveRevision(ctx.cwd, spec.rev);
    const files = spec.paths.flatMap((p) => filesAt(ctx.cwd, commit!, spec.rev!, p, (name) => (isPlan ? name.toLowerCase().endsWith('.json') : name.endsWith('.nurture'))));
    if (files.length === 0) throw new CliError(`no ${isPlan ? 'plan .json' : '.nurture'} files in \`${spec.paths.join(' ')}\` at git revision \`${spec.rev}\``);
    if (isPlan) return { label, commit, loaded: await readPlan(spec.paths[0]!, () => files[0]!.bytes.toString('utf8'), label, role) };
    sources = files.map((f) => ({ path: f.display, text: stripBom(f.bytes.toString('utf8')) }));
    const root = workspaceRoot(spec.paths, ctx.cwd);
    planPath = (display) => {
      const rel = resolve(ctx.cwd, display).slice(root.length + 1).replace(/\\/g, '/');
      return resolve(ctx.cwd, display).startsWith(root + '/') ? rel : display;
    };
  }
  const r = await compileSources(sources, ctx, planPath);
  if (!r.ok) {
    const first = r.diagnostics.find((d) => d.severity === 'error')!;
    const where = `${first.file}:${first.span.line}:${first.span.column}`;
    const errors = `${r.errors} error${r.errors === 1 ? '' : 's'}`;
    throw new CliError(`${role} \`${label}\` has ${errors}, the first at ${where}: ${first.message} (see \`nurture check ${spec.rev === null ? spec.paths.join(' ') : where.split(':')[0]}\`)`, 1);
  }
  return { label, commit, loaded: r.loaded };
}

const stripBom = (t: string): string => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);

function readFileText(path: string, ctx: Context): string {
  try {
    return readFileSync(resolve(ctx.cwd, path), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read \`${path}\`: ${ioReason(e)}`);
  }
}

async function readPlan(path: string, text: () => string, label: string, role: string): Promise<LoadedPlan> {
  const { loadPlan } = await import('../../runtime/load-plan.js');
  const r = loadPlan(text());
  if (!r.ok) {
    const e = r.errors[0]!;
    throw new CliError(`${role} \`${label}\` is not a valid plan: ${e.path === '' ? '' : `${e.path}: `}${e.message}`, 1);
  }
  return withSources(r.plan as Plan, [], [path]);
}
