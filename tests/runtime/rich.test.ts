import { describe, expect, it } from 'vitest';
import { richPlan } from '../plan/rich-plan.js';
import { createRuntime } from '../../runtime/engine/index.js';
import { ev, fmtAction, fmtAudit, profile, T } from './helpers.js';

describe('the rich example plan', () => {
  it('runs the welcome journey of LANGUAGE.md section 2', () => {
    const rt = createRuntime(richPlan(), { holdout: 'none' });
    const events = [
      profile('L1', '2026-01-05 08:00', { job_level: 'vp', employees: 800, budget: 20000, email_consent: true }),
      ev('L1', 'form_submitted', '2026-01-05 08:00', { form: 'newsletter' }),
      ev('L1', 'webinar_attended', '2026-01-06 08:00', { webinar: 'w-42' }),
    ];
    for (const e of events) expect(rt.ingest(e)).toMatchObject({ ok: true });
    rt.advanceTo(T('2026-03-01 00:00'));
    expect(rt.drainActions().map(fmtAction)).toEqual([
      '2026-01-05 08:00 send welcome_email',
      '2026-01-07 08:00 send ebook_finance', // engagement 15 >= 10 (webinar before the wait for)
      '2026-01-21 08:00 send webinar_replay', // wait for webinar_attended timed out
      '2026-01-23 08:00 send case_study_a', // delayed: max 1 per day on email, min 2 days between
      '2026-01-26 07:00 send pricing_guide', // long_term: weekend quiet, then 08:00 Paris
    ]);
    expect(rt.audit('L1').map(fmtAudit).filter((l) => / (delayed|entered|completed|exhausted) /.test(l))).toEqual([
      '2026-01-05 08:00 entered welcome [entry on form_submitted]',
      // the rule whose window opens last decides: the 2-day gap (01-23) after the 1-day email cap (01-22)
      '2026-01-21 08:00 delayed welcome case_study_a [min 2 days between messages]',
      '2026-01-23 08:00 completed welcome [move to long_term]',
      '2026-01-23 08:00 entered long_term [move from welcome]',
      // cap (Sat), gap (Sun), quiet days (Mon 00:00), quiet hours (Mon 08:00 Paris): the last one decides
      '2026-01-23 08:00 delayed long_term pricing_guide [quiet hours 20:00 to 08:00]',
      '2026-02-02 07:00 exhausted long_term education [send next from education]',
      '2026-02-02 07:00 completed long_term [end of the journey]',
    ]);
  });
});
