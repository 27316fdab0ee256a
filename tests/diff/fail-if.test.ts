// `--fail-if` thresholds: the syntax (METRIC OP CHANGE), located usage errors, and what trips.
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/context.js';
import { checkMetric, evaluate, parseThreshold } from '../../cli/diff/fail-if.js';

describe('--fail-if', () => {
  it('reads a metric, a comparison and an absolute or relative change', () => {
    expect(parseThreshold(' mqls<-5% ')).toEqual({ text: 'mqls<-5%', metric: 'mqls', op: '<', value: -5, relative: true });
    expect(parseThreshold('sends.welcome_1 >= +10')).toEqual({ text: 'sends.welcome_1 >= +10', metric: 'sends.welcome_1', op: '>=', value: 10, relative: false });
    expect(parseThreshold('inflight.leave > 0').value).toBe(0);
  });

  it('trips on the change NEW − OLD, relative to OLD with %', () => {
    const t = (s: string, a: number | null, b: number | null) => evaluate(parseThreshold(s), a, b);
    expect(t('mqls < -5%', 100, 94)).toMatchObject({ tripped: true, change: -6 });
    expect(t('mqls < -5%', 100, 95)).toMatchObject({ tripped: false, change: -5 });
    expect(t('mqls <= -5%', 100, 95).tripped).toBe(true);
    expect(t('sends > +10', 50, 61)).toMatchObject({ tripped: true, change: 11 });
    expect(t('sends > +10', 50, 60).tripped).toBe(false);
    expect(t('sends > +10%', 0, 1)).toMatchObject({ tripped: true, change: Infinity });
    expect(t('sends > +10%', 0, 0)).toMatchObject({ tripped: false, change: 0 });
    expect(t('lift.welcome < -2', null, 3)).toMatchObject({ tripped: false, change: null });
    expect(t('lift.welcome < -2', -1, -4)).toMatchObject({ tripped: true, change: -3 });
  });

  it('a metric that does not exist is a usage error with the close name', () => {
    const names = ['changes', 'mqls', 'sends', 'sends.welcome', 'sends.tips', 'inflight.leave'];
    expect(() => checkMetric(parseThreshold('sends.welcom > 0'), names, () => null)).toThrow(
      new CliError('invalid --fail-if "sends.welcom > 0" at column 1: unknown metric `sends.welcom` (did you mean `sends.welcome`?); metrics: changes, mqls, sends, sends.{welcome,tips}, inflight.leave'),
    );
    expect(() => checkMetric(parseThreshold('mqls > 0'), names, () => 'needs --events FILE.jsonl')).toThrow(new CliError('--fail-if "mqls > 0": `mqls` needs --events FILE.jsonl'));
    expect(() => checkMetric(parseThreshold('mqls > 0'), names, () => null)).not.toThrow();
  });
});
