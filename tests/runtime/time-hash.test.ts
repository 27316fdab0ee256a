import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash32, inHoldout, splitPoint, actionId } from '../../runtime/engine/hash.js';
import { TimerHeap } from '../../runtime/engine/heap.js';
import { localMinute, localToInstant, localDay, parseInstant, zoneOffset, formatDate, parseDate } from '../../runtime/engine/time.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'Pacific/Chatham'];
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) });

function intlOffset(zone: string, t: number): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour! % 24, +p.minute!, +p.second!) - Math.floor(t / 1000) * 1000;
}

describe('time', () => {
  it('parses ISO date-times with offsets exactly like Date.parse', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.boolean(), (t, offMin, withMs) => {
        const local = new Date(t + offMin * 60_000).toISOString().slice(0, withMs ? 23 : 19);
        const sign = offMin < 0 ? '-' : '+';
        const a = Math.abs(offMin);
        const s = `${local}${offMin === 0 ? 'Z' : `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`}`;
        expect(parseInstant(s)).toBe(Date.parse(s));
      }),
      { numRuns: 2000 },
    );
    expect(parseInstant('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(typeof parseInstant('2023-02-29T12:00:00Z')).toBe('string');
    expect(typeof parseInstant('2026-01-05T24:00:00Z')).toBe('string');
  });

  it('gives the same UTC offsets as Intl for every instant (cached per day, DST days per 15 minutes)', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        expect(zoneOffset(zone, t)).toBe(intlOffset(zone, t));
      }),
      { numRuns: 3000 },
    );
  });

  it('maps local wall times back to instants', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const tt = Math.floor(t / 60_000) * 60_000;
        const back = localToInstant(zone, localDay(zone, tt), localMinute(zone, tt));
        // equal, except for the repeated hour of a fall-back transition (first occurrence is chosen)
        expect(back === tt || (zoneOffset(zone, back) !== zoneOffset(zone, tt) && back < tt)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('dates round-trip', () => {
    expect(formatDate(parseDate('2026-03-01')!)).toBe('2026-03-01');
    expect(parseDate('2026-02-29')).toBeNull();
  });
});

describe('hashing', () => {
  it('puts ≈P% of 10,000 leads in a holdout group, stably', () => {
    for (const p of [5, 10, 33.3, 50]) {
      let n = 0;
      for (let i = 0; i < 10_000; i++) if (inHoldout(`lead-${i}`, 'welcome', p)) n++;
      expect(Math.abs(n / 100 - p)).toBeLessThan(1.2);
    }
    expect(inHoldout('L1', 'welcome', 10)).toBe(inHoldout('L1', 'welcome', 10));
    expect(inHoldout('L1', 'x', 0)).toBe(false);
    expect(inHoldout('L1', 'x', 100)).toBe(true);
  });

  it('spreads values evenly (chi-square over 16 buckets) and independently per journey and step', () => {
    const buckets = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[hash32(`L${i}`) >>> 28]++;
    const chi = buckets.reduce((s, b) => s + (b - 1000) ** 2 / 1000, 0);
    expect(chi).toBeLessThan(40); // 15 degrees of freedom: p ≈ 0.0005
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (splitPoint(`L${i}`, 'j', 3) < 50 === splitPoint(`L${i}`, 'j', 7) < 50) same++;
    expect(Math.abs(same - 5000)).toBeLessThan(250);
  });

  it('makes 16-hex-digit action ids', () => {
    expect(actionId('L1', 0)).toMatch(/^[0-9a-f]{16}$/);
    expect(actionId('L1', 0)).not.toBe(actionId('L1', 1));
  });
});

describe('timer heap', () => {
  it('pops in (due, lead) order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.constantFrom('a', 'b', 'c', 'd'))), (items) => {
        const h = new TimerHeap();
        for (const [d, l] of items) h.push(d, l);
        const out: [number, string][] = [];
        while (h.size > 0) {
          out.push([h.peekDue(), h.peekLead()!]);
          h.pop();
        }
        expect(h.peekDue()).toBe(Infinity);
        expect(h.peekLead()).toBeUndefined();
        expect(out).toEqual([...items].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)));
      }),
    );
  });
});
