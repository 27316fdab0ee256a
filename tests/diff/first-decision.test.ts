// The first decision two audit trails disagree on (cli/diff/outcomes.ts), on hand-made trails.
import { describe, expect, it } from 'vitest';
import { SideText } from '../../cli/diff/changes.js';
import { firstDecision } from '../../cli/diff/outcomes.js';
import { withSources } from '../../cli/workspace-plan.js';
import type { AuditRecord } from '../../runtime/engine/index.js';
import { storePlan } from '../store/fixture.js';

const side = new SideText(withSources(storePlan(), []));
const rec = (at: number, kind: AuditRecord['kind'], subject: string, rule: string | null = null): AuditRecord => ({
  at,
  lead: 'L',
  kind,
  journey: null,
  step: null,
  subject,
  from: null,
  to: null,
  rule,
  loc: null,
  note: null,
});
const time = (t: number) => `t${t}`;
const first = (x: AuditRecord[], y: AuditRecord[]) => firstDecision('L', x, y, [side, side], [], time);

describe('firstDecision', () => {
  it('is null for equal trails', () => {
    expect(first([rec(1, 'set', 'a')], [rec(1, 'set', 'a')])).toBeNull();
  });

  it('shows, at the earliest instant where they differ, the record each side has that the other lacks', () => {
    const r = first([rec(1, 'set', 'a'), rec(2, 'set', 'b'), rec(2, 'set', 'c')], [rec(1, 'set', 'a'), rec(2, 'set', 'c'), rec(2, 'set', 'd')]);
    expect(r).toEqual({ old: { at: 't2', text: 'set b', place: null }, new: { at: 't2', text: 'set d', place: null } });
  });

  it('the same decisions in another order: the two at the first position that differs (no crash)', () => {
    const r = first([rec(2, 'set', 'b'), rec(2, 'set', 'c')], [rec(2, 'set', 'c'), rec(2, 'set', 'b')]);
    expect(r).toEqual({ old: { at: 't2', text: 'set b', place: null }, new: { at: 't2', text: 'set c', place: null } });
  });

  it('a side that decided nothing about a journey-less record says so', () => {
    const r = first([rec(3, 'set', 'b')], []);
    expect(r).toEqual({ old: { at: 't3', text: 'set b', place: null }, new: { at: 't3', text: 'nothing decided then', place: null } });
  });
});
