// The example workspaces (examples/*) stay healthy: they check with no diagnostic at all, are in the
// canonical format, their `test` blocks pass, they have a realistic size, and their recorded events
// (events.jsonl) are exactly what bench/generate-events.ts produces and are all accepted by the runtime.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nurtureFiles } from '../files.js';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { runPlanTests } from '../../runtime/test-runner.js';
import { createRuntime } from '../../runtime/engine/index.js';
import { EXAMPLE_SEEDS, generateEvents } from '../../bench/generate-events.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = join(REPO, 'examples');
const BIN = join(REPO, 'bin', 'nurture.js');
/** Generous: these run whole example workspaces and thousands of events. */
const SLOW = 120_000;


function sources(dir: string): { path: string; text: string }[] {
  return nurtureFiles(dir).map((p) => ({ path: relative(REPO, p), text: readFileSync(p, 'utf8') }));
}

const folders = readdirSync(EXAMPLES)
  .filter((name) => statSync(join(EXAMPLES, name)).isDirectory())
  .sort();
/** The full example programs (the spec's own `acme` example is a single small file). */
const programs = Object.keys(EXAMPLE_SEEDS);

describe('examples', () => {
  it('has the four example programs', () => {
    for (const name of programs) expect(folders).toContain(name);
  });

  describe.each(folders)('%s', (name) => {
    const dir = join(EXAMPLES, name);

    it('checks with no errors and no warnings', () => {
      const { diagnostics } = checkSources(sources(dir));
      expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    });

    it('is formatted canonically (nurture fmt --check)', () => {
      const r = spawnSync(process.execPath, [BIN, 'fmt', '--check', dir], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).not.toContain('would reformat');
      expect(r.status).toBe(0);
    }, SLOW);
  });

  describe.each(programs)('%s program', (name) => {
    const dir = join(EXAMPLES, name);

    it('is a realistic program: several files, 150–400 lines, 4–8 tests', () => {
      const files = sources(dir);
      const lines = files.reduce((n, f) => n + f.text.split('\n').length - 1, 0);
      expect(files.length).toBeGreaterThanOrEqual(4);
      expect(lines).toBeGreaterThanOrEqual(150);
      expect(lines).toBeLessThanOrEqual(400);
      const { model } = checkSources(files);
      expect(model.tests.size).toBeGreaterThanOrEqual(4);
      expect(model.tests.size).toBeLessThanOrEqual(8);
    });

    it('passes its own tests (nurture test)', () => {
      const files = sources(dir);
      const { model } = checkSources(files);
      const outcomes = runPlanTests(compilePlan(model, files));
      const failed = outcomes
        .filter((o) => !o.passed)
        .map((o) => ({ name: o.name, error: o.error, failures: o.failures.map((f) => `${f.line}: ${f.expect} — ${f.actual.join('; ')}`) }));
      expect(failed).toEqual([]);
      expect(outcomes.length).toBe(model.tests.size);
    }, SLOW);

    it('has the recorded events the generator produces (fixed seed)', () => {
      const file = join(dir, 'events.jsonl');
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text).toBe(generateEvents(name));
      expect(text.length).toBeLessThan(2_000_000);
    }, SLOW);

    it('has events that are well formed, declared, and all accepted by the runtime', () => {
      const files = sources(dir);
      const { model } = checkSources(files);
      const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThanOrEqual(1000);
      const leads = new Set<string>();
      const seenProfile = new Set<string>();
      const events: unknown[] = [];
      for (const line of lines) {
        const e = JSON.parse(line) as { lead: string; type: string; at: string; data: Record<string, unknown>; id: string };
        expect(Object.keys(e).sort()).toEqual(['at', 'data', 'id', 'lead', 'type']);
        expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
        if (e.type === 'profile') {
          for (const key of Object.keys(e.data)) expect(model.attributes.has(key), `attribute ${key}`).toBe(true);
          seenProfile.add(e.lead);
        } else {
          const ev = model.events.get(e.type);
          expect(ev, `event type ${e.type}`).toBeDefined();
          for (const key of Object.keys(e.data)) expect(ev!.fields.has(key), `${e.type}.${key}`).toBe(true);
          // Every lead is introduced by its profile before it does anything.
          expect(seenProfile.has(e.lead), `profile of ${e.lead} first`).toBe(true);
        }
        leads.add(e.lead);
        events.push(e);
      }
      expect(leads.size).toBeGreaterThanOrEqual(100);

      const rt = createRuntime(compilePlan(model, files), { audit: 'off' });
      const result = rt.ingestBatch(events as Parameters<typeof rt.ingestBatch>[0]);
      expect(result.rejected).toEqual([]);
      expect(result.duplicates).toBe(0);
    }, SLOW);
  });
});
