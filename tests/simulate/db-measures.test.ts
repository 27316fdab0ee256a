// LANGUAGE.md 9: measures are kept with the store. The b2b example's events cut into 2 and into 3
// `--db` runs give the report of one run: the same measures, every one of them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nurture-db-measures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example's events in time order (stable), cut into `parts` runs at instants where the time changes. */
function cut(example: string, parts: number): string[] {
  const lines = readFileSync(join(REPO, 'examples', example, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const at = (l: string) => Date.parse((JSON.parse(l) as { at: string }).at);
  const sorted = lines.map((l, i) => ({ l, i, t: at(l) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const files: string[] = [];
  let from = 0;
  for (let k = 1; k <= parts; k++) {
    let to = k === parts ? sorted.length : Math.floor((sorted.length * k) / parts);
    while (to < sorted.length && to > 0 && sorted[to]!.t === sorted[to - 1]!.t) to++;
    const file = join(dir, `${example}-${parts}-${k}.jsonl`);
    writeFileSync(file, sorted.slice(from, to).map((x) => x.l).join('\n') + '\n');
    files.push(file);
    from = to;
  }
  return files;
}

/** Runs `files` one after the other on one store; returns the last run's report. */
async function runs(example: string, files: string[], db: string): Promise<{ run: Record<string, unknown>; measures: unknown; plan: unknown }> {
  const report = join(dir, `${db}.report.json`);
  for (const f of files) {
    const r = await runCli(['simulate', join(REPO, 'examples', example), '--events', f, '--db', join(dir, db), '--out', join(dir, `${db}.actions.jsonl`), '--report', report]);
    expect(r.stderr).not.toMatch(/error|cannot/i);
    expect(r.status).toBe(0);
  }
  return JSON.parse(readFileSync(report, 'utf8'));
}

describe('measures kept with the SQLite store (--db)', () => {
  it('the b2b events in 2 and in 3 runs give the report of one run', async () => {
    const one = await runs('b2b', cut('b2b', 1), 'one.db');
    const two = await runs('b2b', cut('b2b', 2), 'two.db');
    const three = await runs('b2b', cut('b2b', 3), 'three.db');
    const m = one.measures as { leads: number; journeys: Record<string, { nurtured: { entered: number; completed: number } }> };
    expect(m.leads).toBeGreaterThan(100);
    for (const j of Object.values(m.journeys)) expect(j.nurtured.completed).toBeLessThanOrEqual(j.nurtured.entered);
    expect(two.measures).toEqual(one.measures);
    expect(three.measures).toEqual(one.measures);
    expect(two.plan).toEqual(one.plan);
    // The run part describes this run's input: its events file, first event, lines and actions differ; the end is the same.
    expect(two.run['until']).toBe(one.run['until']);
    expect(three.run['until']).toBe(one.run['until']);
  }, 120_000);
});
