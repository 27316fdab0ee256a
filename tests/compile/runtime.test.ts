// The runtime engine accepts the compiled spec plan and behaves as the spec's example says:
// this proves that the lowering matches what the engine expects (docs/plan.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../runtime/engine/index.js';
import { loadPlan } from '../../runtime/load-plan.js';
import { compileSources, GOLDEN, REPO, sourceOf } from './helpers.js';

function specPlan() {
  const { text } = compileSources([sourceOf(join(REPO, 'tests/fixtures/valid/spec-example.nurture'))]);
  const loaded = loadPlan(text);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.plan;
}

describe('the engine runs compiled plans', () => {
  it('a consenting lead who submits the newsletter form is sent welcome_email', () => {
    const rt = createRuntime(specPlan(), { holdout: 'none', audit: 'keep' });
    // Monday 2026-01-05 09:00 in Paris: outside quiet hours and quiet days.
    expect(rt.ingest({ lead: 'L1', type: 'profile', at: '2026-01-05T09:00:00+01:00', data: { email_consent: true, job_level: 'vp', employees: 800, budget: 20000 } }).ok).toBe(true);
    expect(rt.ingest({ lead: 'L1', type: 'form_submitted', at: '2026-01-05T09:00:00+01:00', data: { form: 'newsletter' } }).ok).toBe(true);
    const actions = rt.drainActions();
    expect(actions.map((a) => (a.type === 'send' ? `${a.type} ${a.content} ${a.journey}` : a.type))).toEqual(['send welcome_email welcome']);
    expect(rt.leadState('L1')).toBeDefined();
  });

  it('another form does not enter the journey; no consent means no message', () => {
    const rt = createRuntime(specPlan(), { holdout: 'none' });
    rt.ingest({ lead: 'L2', type: 'form_submitted', at: '2026-01-05T09:00:00+01:00', data: { form: 'contact' } });
    rt.ingest({ lead: 'L3', type: 'form_submitted', at: '2026-01-05T09:00:00+01:00', data: { form: 'newsletter' } });
    expect(rt.drainActions().filter((a) => a.type === 'send')).toEqual([]);
  });

  it('the threshold fires on scores and hands off to sales (the spec test, by hand)', () => {
    const rt = createRuntime(specPlan(), { holdout: 'none' });
    const at = (iso: string) => iso + '+01:00';
    rt.ingest({ lead: 'L1', type: 'profile', at: at('2026-01-05T09:00:00'), data: { email_consent: true, job_level: 'vp', employees: 800, budget: 20000 } });
    rt.ingest({ lead: 'L1', type: 'form_submitted', at: at('2026-01-05T09:00:00'), data: { form: 'newsletter' } });
    rt.ingest({ lead: 'L1', type: 'webinar_attended', at: at('2026-01-06T09:00:00'), data: { webinar: 'w-42' } });
    rt.ingest({ lead: 'L1', type: 'page_viewed', at: at('2026-01-06T09:00:00'), data: { url: '/pricing', topic: 'pricing' } });
    rt.ingest({ lead: 'L1', type: 'demo_requested', at: at('2026-01-06T09:00:00') });
    const kinds = rt.drainActions().map((a) => (a.type === 'stage' ? `stage ${a.from}→${a.to}` : a.type === 'handoff' ? `handoff ${a.to}` : `${a.type}`));
    // The webinar happens during `wait 2 days` (not at `wait for`): the stage goes straight to mql.
    expect(kinds).toEqual(['send', 'stage subscriber→mql', 'handoff sales']);
  });

  it('accepts every golden plan', () => {
    for (const name of ['branches', 'drip', 'pressure', 'scores', 'test-block', 'wait-for']) {
      const { plan } = compileSources([sourceOf(join(GOLDEN, `${name}.nurture`))]);
      expect(() => createRuntime(plan), name).not.toThrow();
    }
  });

  it('a drip ends when the stream is exhausted (sendNext.exhausted = the repeat\'s next)', () => {
    const { plan } = compileSources([sourceOf(join(GOLDEN, 'drip.nurture'))]);
    const rt = createRuntime(plan, { holdout: 'none' });
    // contract_end 2026-02-04: the journey starts 30 days before, on 2026-01-05 at 09:00 (UTC).
    rt.ingest({ lead: 'D', type: 'profile', at: '2026-01-01T00:00:00Z', data: { email_consent: true, contract_end: '2026-02-04' } });
    rt.advanceTo('2026-03-31T00:00:00Z');
    const sent = rt.drainActions().flatMap((a) => (a.type === 'send' ? [a.content] : []));
    // tip_1 then tip_2 in the loop; the third iteration finds the stream exhausted and leaves the loop;
    // the `send next from tips` after it is exhausted too; then renewal_note.
    expect(sent).toEqual(['tip_1', 'tip_2', 'renewal_note']);
  });
});
