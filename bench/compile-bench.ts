// How fast is `compile`, and how big is the plan? Generates the realistic 50,000-line workspace in
// memory (bench/generate-workspace.ts), checks it once, then times
//   (a) the check alone (`checkSources`: parse + check),
//   (b) lowering the checked model into the plan (`compilePlan`),
//   (c) serialising the plan (`serializePlan`: 2-space JSON, short plain arrays on one line),
//   (d) the loader on the written text (`loadPlan`: JSON parse + ajv + semantic checks),
// each after warm-up runs (best and median), and reports the plan size in bytes (pretty-printed, as
// written, and compact) against the size of the sources.
//
//   npx tsc -p . && node dist/bench/compile-bench.js [--lines N --runs R --warmups W]
import { compilePlan, serializePlan } from '../compiler/lower/index.js';
import { checkSources } from '../compiler/workspace.js';
import { loadPlan } from '../runtime/load-plan.js';
import type { Plan } from '../runtime/plan-types.js';
import { generateWorkspace } from './generate-workspace.js';
import { fmt, parseOptions, time } from './timing.js';

function mb(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB)`;
}

function bench(): number {
  const { lines, runs, warmups } = parseOptions(process.argv.slice(2));
  const ws = generateWorkspace({ lines });
  const sources = ws.files;
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`nurture compile benchmark (node ${process.version}, ${runs} runs after ${warmups} warm-ups)`);
  out(`workspace: ${ws.lines} lines, ${ws.bytes} bytes, ${sources.length} files`);

  const { diagnostics, model } = checkSources(sources);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  out(`diagnostics: ${errors.length} errors, ${diagnostics.length - errors.length} warnings`);
  if (errors.length > 0) {
    for (const d of errors.slice(0, 10)) out(`  ${d.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`);
    return 1;
  }

  let plan: Plan = compilePlan(model, sources);
  let text = serializePlan(plan);
  const loaded = loadPlan(text);
  if (!loaded.ok) {
    out(`the plan does not load: ${loaded.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return 1;
  }

  const check = time(() => void checkSources(sources), warmups, runs);
  const lower = time(() => void (plan = compilePlan(model, sources)), warmups, runs);
  const serialize = time(() => void (text = serializePlan(plan)), warmups, runs);
  const load = time(() => void loadPlan(text), warmups, runs);

  const pretty = Buffer.byteLength(text, 'utf8');
  const compact = Buffer.byteLength(JSON.stringify(plan), 'utf8');
  const steps = Object.values(plan.journeys).reduce((n, j) => n + j.steps.length, 0);

  out(`plan: ${Object.keys(plan.journeys).length} journeys, ${steps} steps, ${Object.keys(plan.scores).length} scores, ${Object.keys(plan.contents).length} contents, ${plan.tests.length} tests`);
  out('');
  out(`                    best      median`);
  out(`check          ${fmt(check.best)} ${fmt(check.median)}`);
  out(`lower          ${fmt(lower.best)} ${fmt(lower.median)}`);
  out(`serialize      ${fmt(serialize.best)} ${fmt(serialize.median)}`);
  out(`compile total  ${fmt(check.best + lower.best + serialize.best)} ${fmt(check.median + lower.median + serialize.median)}   (check + lower + serialize)`);
  out(`loadPlan       ${fmt(load.best)} ${fmt(load.median)}`);
  out('');
  out(`plan size: ${mb(pretty)} as written (2-space JSON), ${mb(compact)} compact`);
  out(`           ${(pretty / ws.bytes).toFixed(1)}x / ${(compact / ws.bytes).toFixed(1)}x the ${mb(ws.bytes)} of sources`);
  return 0;
}

process.exitCode = bench();
