// The `pressure { … }` block → lists of rules, minutes of day and ISO weekdays (docs/plan.md, "Pressure").
import type { PressureDecl } from '../../grammar/ast.js';
import type { Pressure } from '../../runtime/plan-types.js';
import type { Lowering } from './context.js';

const WEEKDAYS: Record<string, number> = {
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};

/** `delay capped messages up to 7 days` unless written. */
export const DEFAULT_CAPPED_DELAY_MS = 7 * 86_400_000;

export function lowerPressure(lw: Lowering, decl: PressureDecl): Pressure {
  const p: Pressure = {
    caps: [],
    gaps: [],
    topicGaps: [],
    quietHours: [],
    quietDays: [],
    capped: { mode: 'delay', upToMs: DEFAULT_CAPPED_DELAY_MS, loc: null },
    loc: lw.loc(decl.span),
  };
  for (const r of decl.rules) {
    const loc = lw.loc(r.span);
    switch (r.kind) {
      case 'maxMessages':
        p.caps.push({ count: r.count.value, windowMs: r.per.ms, channel: r.channel ? lw.name(r.channel, 'channel') : null, loc });
        break;
      case 'minGap':
        p.gaps.push({ gapMs: r.gap.ms, channel: r.channel ? lw.name(r.channel, 'channel') : null, loc });
        break;
      case 'minGapTopic':
        p.topicGaps.push({ gapMs: r.gap.ms, loc });
        break;
      case 'quietHours':
        p.quietHours.push({ from: r.from.hour * 60 + r.from.minute, to: r.to.hour * 60 + r.to.minute, loc });
        break;
      case 'quietDays':
        p.quietDays.push({
          days: r.days.map((d) => WEEKDAYS[d.text] ?? lw.fail(`\`${d.text}\` is not a weekday`, d.span)),
          loc,
        });
        break;
      // The last of `delay …` / `skip …` wins (the analyses warn about contradictory rules).
      case 'delayCapped':
        p.capped = { mode: 'delay', upToMs: r.upTo.ms, loc };
        break;
      case 'skipCapped':
        p.capped = { mode: 'skip', upToMs: null, loc };
        break;
    }
  }
  return p;
}
