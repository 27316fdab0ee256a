// The yardstick of the check benchmark: a JSON text describing the same kinds of things as a nurture
// workspace (content, journeys with steps, scores, tests), of a given size in bytes. Deterministic.
import { makeRng } from './generate-workspace.js';

/**
 * A JSON array of objects describing contents, journeys, scores and tests (the same kinds of things as
 * the workspace), grown until it has `bytes` bytes (within one record).
 */
export function generateJson(bytes: number, seed = 7): string {
  const rng = makeRng(seed);
  const int = (a: number, b: number) => a + Math.floor(rng() * (b - a + 1));
  const one = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const topics = ['education', 'product', 'security', 'pricing', 'onboarding', 'analytics'];
  const parts: string[] = [];
  let size = 2; // "[" and "]"
  for (let i = 0; size < bytes; i++) {
    const id = `c_${String(i).padStart(5, '0')}`;
    let item: unknown;
    switch (i % 4) {
      case 0:
        item = {
          kind: 'content',
          name: `${id}_intro`,
          channel: one(['email', 'sms', 'push']),
          topic: one(topics),
          template: `tpl-${id}-intro`,
          subject: 'Your quick-start guide',
          cost: int(1, 9) / 100,
          metadata: { campaign: `cmp-${id}`, language: 'en' },
        };
        break;
      case 1:
        item = {
          kind: 'journey',
          name: `${id}_nurture`,
          entry: { on: 'form_submitted', where: { op: 'is', left: 'form', right: `lp-${id}` } },
          audience: { op: 'and', left: { op: '>=', left: 'employees', right: int(10, 500) }, right: { op: 'is', left: 'region', right: 'emea' } },
          exit: { when: { op: '>=', left: 'stage', right: 'sql' } },
          goal: { on: 'demo_requested', withinDays: int(7, 60) },
          holdout: int(5, 20),
          priority: int(0, 20),
          steps: [
            { step: 'send', content: `${id}_intro` },
            { step: 'wait', days: int(1, 3) },
            { step: 'if', condition: { op: '>=', left: 'engagement', right: 10 }, then: [{ step: 'send', content: `${id}_guide` }], else: [{ step: 'send', content: `${id}_reminder` }] },
            { step: 'waitFor', event: 'email_clicked', upToDays: int(3, 7), then: [{ step: 'set', attribute: 'last_campaign', value: id }], timeout: [{ step: 'send', content: `${id}_sms` }] },
            { step: 'split', branches: [{ percent: 50, steps: [{ step: 'send', content: `${id}_variant_a` }] }, { percent: 50, steps: [{ step: 'send', content: `${id}_variant_b` }] }] },
            { step: 'repeat', everyDays: 7, max: int(3, 6), body: [{ step: 'sendNext', stream: `${id}_drip` }] },
          ],
        };
        break;
      case 2:
        item = {
          kind: 'score',
          name: `${id}_engagement`,
          rules: [
            { points: 1, on: 'email_opened', max: 5, perDays: 7 },
            { points: 3, on: 'email_clicked' },
            { points: 10, on: 'page_viewed', where: { op: 'is', left: 'section', right: 'pricing' } },
            { points: 40, on: 'demo_requested', once: true },
          ],
          decay: { percent: 20, everyDays: 30 },
          range: [0, 200],
        };
        break;
      default:
        item = {
          kind: 'test',
          name: `${id}: an engaged lead receives the intro`,
          lead: { job_level: 'director', region: 'emea', employees: int(100, 5000), budget: int(1000, 60000), email_consent: true },
          timeline: [
            { at: '2026-01-05T09:00' },
            { event: 'form_submitted', data: { form: `lp-${id}`, page: `/lp/${id}` } },
            { expect: { received: `${id}_intro` } },
            { afterDays: 1 },
            { event: 'email_clicked', data: { message: `${id}_intro`, url: '/pricing' } },
            { expect: { op: '>=', left: 'engagement', right: 4 } },
          ],
        };
    }
    const text = JSON.stringify(item, null, 2);
    parts.push(text);
    size += Buffer.byteLength(text, 'utf8') + (parts.length > 1 ? 2 : 0);
  }
  return '[' + parts.join(',\n') + ']';
}

