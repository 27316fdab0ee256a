// `--fail-if "METRIC OP CHANGE"`: a CI job fails (exit 1) when a change crosses a threshold.
//   METRIC  a name of the comparison (`mqls`, `sends`, `sends.welcome_1`, `entries.welcome`, `lift.welcome`,
//           `leads-differing`, `inflight.leave`, …; `nurture diff --help` lists them)
//   OP      <  <=  >  >=
//   CHANGE  a signed number: the change NEW − OLD (`-5`, `+10`, `0`), or with `%` the change relative to
//           OLD (`-5%`, `+10%`; from 0 to anything else is an infinite change)
// So `mqls < -5%` trips when MQLs drop by more than 5%, `sends.welcome_1 > +10%` when that content is sent
// over 10% more, `inflight.leave > 0` when any lead in flight would leave its journey.
import { CliError } from '../context.js';
import { closest } from '../suggest.js';

export interface Threshold {
  /** As written. */
  text: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
  relative: boolean;
}

export interface ThresholdResult {
  threshold: string;
  tripped: boolean;
  /** The change measured (in % for a relative threshold), null when the metric has no value on a side. */
  change: number | null;
  old: number | null;
  new: number | null;
}

const usage = (text: string, column: number, why: string): CliError =>
  new CliError(`invalid --fail-if "${text}" at column ${column}: ${why} (form: METRIC OP CHANGE, e.g. "mqls < -5%" or "sends.welcome > +10")`);

/** Parses one `--fail-if`; a usage error (exit 2) naming the column of the problem. */
export function parseThreshold(text: string): Threshold {
  const m = /^(\s*)([A-Za-z_][\w.-]*)?(\s*)(<=|>=|<|>|==|=|!=)?(\s*)(\S.*)?$/.exec(text)!;
  const col = (k: number) => m.slice(1, k).reduce((n, p) => n + (p?.length ?? 0), 1);
  if (m[2] === undefined) throw usage(text, col(2), 'expected a metric name first');
  if (m[4] === undefined) throw usage(text, col(4), m[6] === undefined ? `expected <, <=, > or >= after \`${m[2]}\`` : `expected <, <=, > or >= after \`${m[2]}\`, not \`${m[6].split(/\s/)[0]}\``);
  if (m[4] === '=' || m[4] === '==' || m[4] === '!=') throw usage(text, col(4), `\`${m[4]}\` is not a comparison of a change: use <, <=, > or >=`);
  const v = /^([+-]?)(\d+(?:\.\d+)?)(%?)\s*$/.exec(m[6] ?? '');
  if (v === null) throw usage(text, col(6), m[6] === undefined ? `expected a change after \`${m[4]}\`, such as -5% or +10` : `\`${m[6].trim()}\` is not a change: write a signed number, e.g. -5% or +10`);
  return { text: text.trim(), metric: m[2], op: m[4] as Threshold['op'], value: Number(`${v[1]}${v[2]}`), relative: v[3] === '%' };
}

/** A usage error for a metric that does not exist, with the close name and the list. */
export function checkMetric(t: Threshold, names: readonly string[], needs: (metric: string) => string | null): void {
  if (names.includes(t.metric)) {
    const need = needs(t.metric);
    if (need !== null) throw new CliError(`--fail-if "${t.text}": \`${t.metric}\` ${need}`);
    return;
  }
  const guess = closest(t.metric, names);
  const hint = guess === undefined ? '' : ` (did you mean \`${guess}\`?)`;
  throw new CliError(`invalid --fail-if "${t.text}" at column ${t.text.indexOf(t.metric) + 1}: unknown metric \`${t.metric}\`${hint}; metrics: ${listed(names)}`);
}

/** The names, each family written once: `sends.{welcome,tips}`. */
function listed(names: readonly string[]): string {
  const families = new Map<string, { plain: boolean; members: string[] }>();
  for (const n of names) {
    const dot = n.indexOf('.');
    const key = dot < 0 ? n : n.slice(0, dot);
    const f = families.get(key) ?? { plain: false, members: [] };
    families.set(key, f);
    if (dot < 0) f.plain = true;
    else f.members.push(n.slice(dot + 1));
  }
  const shown = (k: string, m: string[]) => (m.length === 0 ? [] : m.length === 1 ? [`${k}.${m[0]}`] : [`${k}.{${m.join(',')}}`]);
  return [...families].flatMap(([k, f]) => [...(f.plain ? [k] : []), ...shown(k, f.members)]).join(', ');
}

export function evaluate(t: Threshold, old: number | null, neu: number | null): ThresholdResult {
  let change: number | null = null;
  if (old !== null && neu !== null) {
    if (!t.relative) change = neu - old;
    else change = old === 0 ? (neu === 0 ? 0 : neu > 0 ? Infinity : -Infinity) : ((neu - old) / Math.abs(old)) * 100;
  }
  const tripped =
    change !== null && (t.op === '<' ? change < t.value : t.op === '<=' ? change <= t.value : t.op === '>' ? change > t.value : change >= t.value);
  return { threshold: t.text, tripped, change, old, new: neu };
}
