// `test "name" { … }` → `{ name, lead, startMs, statements }` (docs/plan.md, "Tests").
//
// - Date-times are read in the workspace time zone and written as epoch ms.
// - The clock starts at the first `at` when it comes before any event occurrence (a `profile` update
//   counts as one), else at 2026-01-05 09:00 in the workspace time zone (LANGUAGE.md 4.15). That `at`
//   stays in `statements` (it does not move the clock).
// - Values of test data are constants: a bare name is what the checker resolved it to (an enumeration
//   member, a content, a channel, a topic or a stage).
import type { Property, TestDecl } from '../../grammar/ast.js';
import { setOwn } from '../../runtime/own.js';
import type { Const, PlanTest, TestStatement } from '../../runtime/plan-types.js';
import type { Lowering } from './context.js';
import { lowerConst, lowerExpr } from './expr.js';

export function lowerTest(lw: Lowering, decl: TestDecl): PlanTest {
  let lead: PlanTest['lead'] = null;
  let startMs: number | undefined;
  let sawEvent = false;
  const statements: TestStatement[] = [];
  for (const st of decl.statements) {
    const loc = lw.loc(st.span);
    switch (st.kind) {
      case 'testLead': // attributes only: the checker refuses `stage` (NUR102)
        lead = { id: st.id ? st.id.value : null, profile: data(lw, st.properties), loc };
        break;
      case 'testHoldout':
        statements.push({ kind: 'holdout', journey: lw.name(st.journey, 'journey'), loc });
        break;
      case 'testControlGroup':
        statements.push({ kind: 'controlGroup', loc });
        break;
      case 'at': {
        const atMs = lw.instant(st.at);
        if (!sawEvent && startMs === undefined) startMs = atMs;
        statements.push({ kind: 'at', atMs, loc });
        break;
      }
      case 'after':
        statements.push({ kind: 'after', durationMs: st.duration.ms, loc });
        break;
      case 'occur':
        sawEvent = true;
        if (lw.model.references.symbolOf(st.event)?.kind === 'builtin') {
          statements.push({ kind: 'profile', data: data(lw, st.properties), loc });
        } else {
          statements.push({ kind: 'event', event: lw.name(st.event, 'event'), data: data(lw, st.properties), loc });
        }
        break;
      case 'expect':
        statements.push({ kind: 'expect', condition: lowerExpr(lw, st.condition), loc });
        break;
    }
  }
  return {
    name: decl.name.value,
    lead,
    startMs: startMs ?? defaultStart(lw),
    statements,
    loc: lw.loc(decl.span),
  };
}

function defaultStart(lw: Lowering): number {
  return lw.instant({
    kind: 'datetime',
    date: { kind: 'date', year: 2026, month: 1, day: 5, raw: '2026-01-05', span: NO_SPAN },
    time: { kind: 'time', hour: 9, minute: 0, raw: '09:00', span: NO_SPAN },
    span: NO_SPAN,
  });
}

const NO_SPAN = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** `{ key: value, … }` of a lead, a profile update or an event occurrence, in source order. */
function data(lw: Lowering, props: readonly Property[]): Record<string, Const> {
  const out: Record<string, Const> = {};
  for (const p of props) setOwn(out, p.key.text, lowerConst(lw, p.value));
  return out;
}
