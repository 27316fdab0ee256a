import { it } from 'vitest';
import { Served, quickPlan } from './harness.js';
it('m', async () => {
  const s = await new Served(quickPlan()).start();
  try { const m = await s.call('GET', '/metrics', { token: null }); console.log(m.status, m.text.slice(0, 500)); console.log(s.log.split('\n').filter(l => /error|"level":5/.test(l)).join('\n').slice(0, 3000)); }
  finally { await s.stop(); s.cleanup(); }
}, 60000);
