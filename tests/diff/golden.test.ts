// `nurture diff` on the examples with realistic edits (a wait lengthened, a branch added, a cap tightened,
// a threshold raised), over their recorded events, in the three formats: golden files in tests/diff/golden/
// (UPDATE_GOLDEN=1 rewrites them). The example is copied twice into a temporary folder (old/, new/) so that
// the paths in the output do not depend on where the tests run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, REPO, runCli } from '../cli/helpers.js';
import { editedExample } from './helpers.js';

afterAll(cleanWorkspaces);
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const GOLDEN = join(REPO, 'tests/diff/golden');

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const CASES: { name: string; example: string; edits: Record<string, [string, string][]>; format: string; ext: string; events?: false }[] = [
  { name: 'wait-lengthened', example: 'b2b', edits: { 'journeys/welcome.nurture': [['  wait 2 days', '  wait 4 days']] }, format: 'text', ext: 'txt' },
  {
    name: 'branch-added',
    example: 'b2b',
    edits: { 'journeys/welcome.nurture': [['  send welcome_3\n  wait 7 days', '  send welcome_3\n  if engagement >= 40 {\n    send case_study_bank\n  }\n  wait 7 days']] },
    format: 'json',
    ext: 'json',
  },
  { name: 'cap-tightened', example: 'saas', edits: { 'scoring.nurture': [['max 3 messages per 7 days on email', 'max 2 messages per 7 days on email']] }, format: 'markdown', ext: 'md' },
  {
    // a journey renamed with a step moved, a content renamed (and the references to both)
    name: 'renamed-and-moved',
    example: 'b2b',
    edits: {
      'journeys/welcome.nurture': [
        ['journey welcome {', 'journey welcome_series {'],
        ['  send welcome_1\n', '  send welcome_one\n'],
        ['  send welcome_3\n  wait 7 days\n', '  wait 7 days\n  send welcome_3\n'],
      ],
      'model.nurture': [['content welcome_1 ', 'content welcome_one ']],
      'tests/welcome.test.nurture': [
        ['received welcome_1 at', 'received welcome_one at'],
        ['message: welcome_1,', 'message: welcome_one,'],
        ['not received welcome_1', 'not received welcome_one'],
        ['holdout welcome\n', 'holdout welcome_series\n'],
        ['expect not in journey welcome\n', 'expect not in journey welcome_series\n'],
        ['expect in journey welcome\n', 'expect in journey welcome_series\n'],
        ['expect in journey welcome\n', 'expect in journey welcome_series\n'],
        ['not received welcome_1', 'not received welcome_one'],
      ],
      'tests/qualification.test.nurture': [['in journey welcome\n', 'in journey welcome_series\n']],
    },
    format: 'text',
    ext: 'txt',
    events: false,
  },
  { name: 'threshold-raised', example: 'b2b', edits: { 'scoring.nurture': [['engagement >= 50 and stage < mql', 'engagement >= 60 and stage < mql']] }, format: 'text', ext: 'txt' },
];

describe('nurture diff on the examples (golden)', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.format})`, async () => {
      const dir = editedExample(c.example, c.edits);
      const events = c.events === false ? [] : ['--events', 'old/events.jsonl', '--leads', '3'];
      const r = await runCli(['diff', 'old', 'new', ...events, '--format', c.format], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      golden(`${c.name}.${c.ext}`, r.stdout);
    });
  }

  it('the JSON is the documented shape (format nurture-diff, version 1)', async () => {
    const r = JSON.parse(readFileSync(join(GOLDEN, 'branch-added.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['format', 'version', 'old', 'new', 'changes', 'outcomes', 'inFlight', 'thresholds']);
    expect([r['format'], r['version']]).toEqual(['nurture-diff', 1]);
  });

  it('the same sources on both sides: no change, and the same outcomes', async () => {
    const dir = editedExample('b2b', {});
    const r = await runCli(['diff', 'old', 'new', '--events', 'old/events.jsonl', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { changes: unknown[]; outcomes: { leadsDiffering: number; metrics: { old: number; new: number }[] } };
    expect(out.changes).toEqual([]);
    expect(out.outcomes.leadsDiffering).toBe(0);
    expect(out.outcomes.metrics.every((m) => m.old === m.new)).toBe(true);
  });
});
