// Mutated sources through `check`, `compile`, `test`, `graph` and `fmt`: the example workspaces and the
// valid fixtures, with a file mutated by characters, tokens or lines, or a name renamed everywhere or a
// number replaced by a hostile one (tests/fuzz/mutate.ts). Every run is
// sane (status 0/1/2, no stack trace, no internal error, within its budget); a workspace `check` accepts
// compiles, tests and draws; and `fmt --write` keeps the plan (modulo source locations), the texts and the
// comments, and is idempotent. Inputs of the classes in KNOWN_OPEN_FAULTS are skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lex } from '../../grammar/lexer.js';
import { TextTok } from '../../grammar/tokens.js';
import { fuzzParams, fuzzScale } from '../fuzz/budget.js';
import { knownFault } from '../fuzz/known-faults.js';
import { mutatedWorkspace, seedWorkspaces, type MutatedWorkspace } from '../fuzz/mutate.js';
import { insanity, runInProcess, runProcess, tempWorkspace, type Run } from '../fuzz/sane.js';

const CORPUS = seedWorkspaces();
const BUDGET_MS = 10_000;
const skipped = { known: 0 };
/** How many cases `check` accepted, refused (1) or stopped (2): a harness whose cases all fail early tests little. */
const checked = [0, 0, 0];

afterAll(() => {
  // long runs only: `npm test`'s output carries no harness chatter
  if (fuzzScale() > 1) console.info(`sources.fuzz: check exit 0/1/2 on ${checked.join('/')} mutated workspace(s); ${skipped.known} case(s) skipped as KNOWN_OPEN_FAULTS`);
});

function sane(run: Run): Run {
  const why = insanity(run, BUDGET_MS);
  if (why !== undefined) throw new Error(why);
  return run;
}

/** Skips (as fast-check preconditions) the workspaces with a file in a known open fault class. */
function outsideKnownFaults(ws: MutatedWorkspace): boolean {
  if (Object.values(ws.files).every((t) => knownFault(t) === undefined)) return true;
  skipped.known++;
  return false;
}

/** The plan without what layout may change: source locations and the hashes of the texts. */
function planMeaning(planText: string): unknown {
  const plan = JSON.parse(planText) as Record<string, unknown>;
  return JSON.parse(JSON.stringify({ ...plan, source: null }), (key, value: unknown) => (key === 'loc' ? undefined : value));
}

/** What layout must not touch: the texts in quotes and the comments, in order. */
function nonLayout(text: string): { texts: string[]; comments: string[] } {
  const r = lex(text, 'x.nurture');
  return {
    texts: r.tokens.filter((t) => t.tokenType === TextTok).map((t) => t.image),
    comments: r.comments.map((c) => c.text.trimEnd()),
  };
}

describe('mutated sources through the CLI', () => {
  it('check, compile, test, graph and fmt stay sane and agree (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedWorkspace(CORPUS), async (ws) => {
        fc.pre(outsideKnownFaults(ws));
        const { dir, remove } = tempWorkspace(ws.files);
        try {
          const check = sane(await runInProcess(['check', '.'], dir));
          checked[check.status!]!++;
          const compile = sane(await runInProcess(['compile', '.'], dir));
          const test = sane(await runInProcess(['test', '.'], dir));
          const graph = sane(await runInProcess(['graph', '.'], dir));
          if (check.status === 0) {
            // what check accepts, the later commands take (issue 20: check passed, compile crashed)
            expect(compile.status, compile.stderr).toBe(0);
            expect([0, 1], test.stderr).toContain(test.status);
            expect(graph.status, graph.stderr).toBe(0);
          }
          const before = readFileSync(join(dir, ws.mutated), 'utf8');
          const fmt = sane(await runInProcess(['fmt', '--write', ws.mutated], dir));
          if (fmt.status !== 0) return; // a file with syntax errors is left as it is
          const after = readFileSync(join(dir, ws.mutated), 'utf8');
          expect(nonLayout(after)).toEqual(nonLayout(before));
          expect(sane(await runInProcess(['fmt', '--check', ws.mutated], dir)).status, 'fmt is idempotent').toBe(0);
          const recompiled = sane(await runInProcess(['compile', '.'], dir));
          expect(recompiled.status).toBe(compile.status);
          if (compile.status === 0) expect(planMeaning(recompiled.stdout)).toEqual(planMeaning(compile.stdout));
        } finally {
          remove();
        }
      }),
      fuzzParams(6),
    );
  });

  it('every command stays sane as a real process (status, no stack, no hang)', async () => {
    const commands = [['check', '.'], ['compile', '.'], ['test', '.'], ['graph', '.'], ['fmt', '--check', '.']];
    await fc.assert(
      fc.asyncProperty(mutatedWorkspace(CORPUS), fc.constantFrom(...commands), async (ws, args) => {
        fc.pre(outsideKnownFaults(ws));
        const { dir, remove } = tempWorkspace(ws.files);
        try {
          sane(await runProcess(args, dir, BUDGET_MS));
        } finally {
          remove();
        }
      }),
      fuzzParams(2),
    );
  });
});
