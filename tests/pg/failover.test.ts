// Failover: 3 `nurture worker` processes share a PostgreSQL store while events keep arriving; one of them
// is SIGKILLed at random moments (at least 5 times) and restarted. At the end the outbox (action ids
// and contents) and every lead's state equal one in-memory run over the same events: nothing lost,
// nothing applied twice. The size, 200,000 events for 20,000 leads (~35 s here), times
// NURTURE_FUZZ_SCALE up to 5.
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../runtime/store/postgres/index.js';
import { fuzzScale } from '../fuzz/budget.js';
import { DAY } from '../runtime/helpers.js';
import { T0 } from '../store/fixture.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';
import { compareWithMemory, Deployment, feed, haveCli, settled, SPACING } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());
if (!haveCli) console.warn('failover test skipped: dist/nurture.mjs is missing — run `npm run build` first');

const scale = Math.min(5, fuzzScale());
const TOTAL = Math.round(200_000 * scale);
const LEADS = Math.round(20_000 * scale);
const KILLS = 5;

describe.skipIf(server === null || !haveCli)('failover (3 workers, SIGKILL and restart)', () => {
  it('loses no event and applies none twice: outbox and states equal the in-memory run', async () => {
    const url = await freshDatabase(server!, 'failover');
    const store = await openPostgresStore(url, { partitions: 64 });
    const d = new Deployment(url, 3, 1500);
    try {
      d.startAll();
      let seed = 4242;
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const chunk = Math.ceil(TOTAL / 40);
      let chunks = 0;
      let kills = 0;
      // a kill every few chunks (the workers are busy at a random point), the victim restarted at once
      const between = async () => {
        chunks++;
        if (kills < KILLS && chunks % 6 === 3) {
          await new Promise((r) => setTimeout(r, rnd() * 300));
          const victim = Math.floor(rnd() * 3);
          await d.kill(victim);
          kills++;
          d.start(victim);
        }
      };
      await feed(store, TOTAL, LEADS, chunk, between);
      while (kills < KILLS) await between();
      const until = T0 + TOTAL * SPACING + 30 * DAY;
      await store.setWatermark(until);
      await settled(store, until, d, 150_000);
      const { problems, actions } = await compareWithMemory(store, TOTAL, LEADS, until);
      console.log(`failover: ${TOTAL} events, ${LEADS} leads, ${kills} SIGKILLs, ${actions} actions in the outbox`);
      expect(problems).toEqual([]);
      expect(actions).toBeGreaterThan(TOTAL / 10);
      expect(kills).toBeGreaterThanOrEqual(KILLS);
    } finally {
      await d.stopAll();
      await store.close();
    }
  }, 300_000);
});
