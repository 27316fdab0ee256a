// Goals keep their window (issue 21): a goal `within 30 days` of entry counts when reached after the run
// completed (end of the journey, `move to`), for nurtured and held-out leads alike, and the measures count
// it — but not after the window, and not after an exit.
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { createRuntime } from '../../runtime/engine/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { ev } from './helpers.js';

function compile(text: string): Plan {
  const sources = [{ path: 'p.nurture', text }];
  const { model, diagnostics } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compilePlan(model, sources);
}

const PLAN = compile(`
lead { email_consent: bool, vip: bool }
event signup
event demo
event unsubscribed
channel email { consent: email_consent }
content hello { channel: email }
content tips { channel: email }
stages lead, customer
journey welcome {
  entry on signup
  exit on unsubscribed
  goal on demo within 30 days
  send hello
  wait 12 days
  send tips
}
journey vip_track {
  entry when vip is true
  goal (stage is customer) within 30 days
  send hello
  wait 5 days
  move to after_vip
}
journey after_vip {
  send tips
}
on demo { set stage = customer }
`);

const kinds = (rt: ReturnType<typeof createRuntime>, lead: string, journey: string) =>
  rt
    .audit(lead)
    .filter((r) => r.journey === journey && ['entered', 'completed', 'exited', 'converted'].includes(r.kind))
    .map((r) => `${r.at === null ? '' : new Date(r.at).toISOString().slice(0, 10)} ${r.kind}${r.note ? ` (${r.note})` : ''}`);

describe('goals keep their window after the run', () => {
  it('a 12-day journey with a demo on day 20 is converted; the measures count it once (nurtured and held out)', () => {
    const rt = createRuntime(PLAN, { holdout: 'none' });
    rt.setHoldout('H', 'welcome', true);
    for (const lead of ['N', 'H']) {
      rt.ingest(ev(lead, 'profile', '2026-01-05 08:00', { email_consent: true }));
      rt.ingest(ev(lead, 'signup', '2026-01-05 09:00'));
      rt.ingest(ev(lead, 'demo', '2026-01-25 09:00')); // day 20
    }
    expect(kinds(rt, 'N', 'welcome')).toEqual(['2026-01-05 entered', '2026-01-17 completed', '2026-01-25 converted (after the journey)']);
    expect(kinds(rt, 'H', 'welcome')).toEqual(['2026-01-05 entered (holdout)', '2026-01-17 completed (holdout)', '2026-01-25 converted (holdout, after the journey)']);
    const m = rt.measures().journeys.welcome!;
    expect(m.nurtured).toMatchObject({ entered: 1, completed: 1, converted: 1 });
    expect(m.holdout).toMatchObject({ entered: 1, completed: 1, converted: 1 });
  });

  it('not after the window, not twice, and not after an exit', () => {
    const rt = createRuntime(PLAN, { holdout: 'none' });
    rt.ingest(ev('Late', 'signup', '2026-01-05 09:00'));
    rt.ingest(ev('Late', 'demo', '2026-02-05 09:00')); // day 31
    expect(kinds(rt, 'Late', 'welcome')).toEqual(['2026-01-05 entered', '2026-01-17 completed']);
    rt.ingest(ev('Twice', 'signup', '2026-01-05 09:00'));
    rt.ingest(ev('Twice', 'demo', '2026-01-20 09:00'));
    rt.ingest(ev('Twice', 'demo', '2026-01-21 09:00'));
    expect(kinds(rt, 'Twice', 'welcome')).toEqual(['2026-01-05 entered', '2026-01-17 completed', '2026-01-20 converted (after the journey)']);
    rt.ingest(ev('Gone', 'signup', '2026-01-05 09:00'));
    rt.ingest(ev('Gone', 'unsubscribed', '2026-01-06 09:00'));
    rt.ingest(ev('Gone', 'demo', '2026-01-07 09:00'));
    expect(kinds(rt, 'Gone', 'welcome')).toEqual(['2026-01-05 entered', '2026-01-06 exited']);
  });

  it('a goal condition reached after the lead moved on (`move to`) converts too', () => {
    const rt = createRuntime(PLAN, { holdout: 'none' });
    rt.ingest(ev('V', 'profile', '2026-01-05 08:00', { email_consent: true, vip: true }));
    rt.ingest(ev('V', 'demo', '2026-01-15 09:00')); // day 10: moved on day 5
    expect(kinds(rt, 'V', 'vip_track')).toEqual(['2026-01-05 entered', '2026-01-10 completed', '2026-01-15 converted (after the journey)']);
  });
});
