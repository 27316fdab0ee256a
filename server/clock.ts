// The clock advances with wall time: the runtime never reads a clock (time is an input), so the server
// calls `tick(now)` — `advanceTo` — when the earliest pending timer comes due, at least every `maxSleepMs`
// (a timer added by an event is seen at the next wake-up, or at once through `poke`). A lead that
// receives no event still gets its waits, timeouts and delayed sends on time (docs/host-api.md).
import type { Host } from './host.js';

export class ClockLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly host: () => Host,
    private readonly onTick: (steps: number) => void,
    private readonly onError: (e: unknown) => void,
    private readonly maxSleepMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something may have added an earlier timer (an event was applied): look again now. */
  poke(): void {
    if (this.stopped) return;
    const due = this.host().nextDue();
    if (due <= Date.now() + this.maxSleepMs) this.schedule(Math.max(0, due - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    if (this.stopped) return;
    let wait = this.maxSleepMs;
    try {
      const steps = this.host().tick(Date.now());
      if (steps > 0) this.onTick(steps);
      wait = Math.min(this.maxSleepMs, Math.max(0, this.host().nextDue() - Date.now()));
    } catch (e) {
      this.onError(e);
    }
    this.schedule(wait);
  }
}
