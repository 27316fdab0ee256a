// Mutated event streams through `simulate`: the first lines of an example's events.jsonl with lines
// dropped, duplicated, swapped, truncated, edited or replaced by garbage (tests/fuzz/mutate.ts). Every run
// is sane and completes (bad lines are reported, not fatal), and every line is accounted for: accepted +
// rejected + duplicates (+ after --until) = the non-blank lines, in the report and in the summary on
// stderr, with one located message per rejected line. Inputs in KNOWN_OPEN_FAULTS are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParams } from '../fuzz/budget.js';
import { knownFault } from '../fuzz/known-faults.js';
import { mutatedEvents, ROOT, seedWorkspaces } from '../fuzz/mutate.js';
import { insanity, runInProcess, tempWorkspace } from '../fuzz/sane.js';

const LINES = 120;
/** The examples with events, each with its plan compiled once (simulating a plan skips the compiler). */
const WORKSPACES = await Promise.all(
  seedWorkspaces()
    .filter((ws) => existsSync(join(ROOT, ws.name, 'events.jsonl')))
    .map(async (ws) => {
      const plan = await runInProcess(['compile', '.'], join(ROOT, ws.name));
      if (plan.status !== 0) throw new Error(`${ws.name} does not compile: ${plan.stderr}`);
      return { plan: plan.stdout, events: readFileSync(join(ROOT, ws.name, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').slice(0, LINES) };
    }),
);

interface RunReport {
  lines: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  afterUntil: number;
}

describe('mutated event streams through simulate', () => {
  it('account for every line and stay sane', async () => {
    const cases = fc.nat({ max: WORKSPACES.length - 1 }).chain((i) => mutatedEvents(WORKSPACES[i]!.events).map((lines) => ({ ws: WORKSPACES[i]!, lines })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ ws, lines }) => {
        const events = lines.join('\n') + '\n';
        fc.pre(knownFault(events) === undefined);
        const { dir, remove } = tempWorkspace({ 'plan.json': ws.plan, 'ev.jsonl': events });
        try {
          const run = await runInProcess(['simulate', 'plan.json', '--events', 'ev.jsonl', '--report', 'report.json', '-o', 'actions.jsonl'], dir);
          const why = insanity(run, 20_000);
          if (why !== undefined) throw new Error(why);
          expect(run.status, run.stderr).toBe(0);
          const r = (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { run: RunReport }).run;
          const nonBlank = lines.filter((l) => l.trim() !== '').length;
          expect(r.lines).toBe(nonBlank);
          expect(r.accepted + r.rejected + r.duplicates + r.afterUntil).toBe(r.lines);
          expect(run.stderr).toContain(`: ${r.accepted} events accepted, ${r.rejected} rejected, ${r.duplicates} duplicate`);
          expect(run.stderr.split('\n').filter((l) => /^ev\.jsonl:\d+: /.test(l))).toHaveLength(r.rejected);
        } finally {
          remove();
        }
      }),
      fuzzParams(10),
    );
  });
});
