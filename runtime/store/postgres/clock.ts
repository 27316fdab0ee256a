// The instant up to which a worker runs timers — an input of the worker, not a call to Date.now() buried
// in it: `wall` (the machine's clock: a live deployment), `watermark` (the store's watermark, set by
// whoever feeds the inbox once its input is complete up to an instant: simulations, tests, a host that
// replays), or a function (tests drive time themselves).
import type { PgStore } from './store.js';

export type ClockOption = 'wall' | 'watermark' | (() => number | Promise<number>);

export function clockOf(option: ClockOption | undefined, store: PgStore): () => Promise<number> {
  if (option === undefined || option === 'wall') return async () => Date.now();
  if (option === 'watermark') return () => store.watermark();
  return async () => option();
}
