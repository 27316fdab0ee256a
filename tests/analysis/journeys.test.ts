// Journey analyses: NUR302 unreachable steps, NUR303 no progress, NUR304 splits, NUR306 entry,
// NUR308 unbounded repeats, NUR311 holdout.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler/analysis/index.js';
import { analyzeSnippet, at, check, full, only, pos, BASE, USES } from './helpers.js';

function where(snippet: string, needle: string, occurrence = 0): string {
  const p = pos(full(snippet), needle, occurrence);
  return `${p.line}:${p.column}`;
}

describe('NUR302 unreachable steps', () => {
  it('steps after `move to`, spanning all of them', () => {
    const snippet = 'journey a { entry on demo_requested\n  send hello\n  move to b\n  send bye\n  send hello\n}\njourney b { send bye }';
    const [d, ...rest] = only('NUR302', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, 'send bye', 1));
    expect(d.span.endLine).toBe(pos(full(snippet), 'send hello', 2).line);
    expect(d.message).toBe('these 2 steps are never run: `move to b` leaves journey `a` before them');
    expect(d.related?.[0].span.line).toBe(pos(full(snippet), 'move to b').line);
  });

  it('a step after `end`, inside a block', () => {
    const snippet = 'journey a { entry on demo_requested\n  if budget > 3 {\n    end\n    send bye\n  }\n  send hello\n}';
    const [d] = only('NUR302', analyzeSnippet(snippet));
    expect(at(d)).toBe(where(snippet, 'send bye', 1));
    expect(d.message).toBe('this step is never run: `end` ends journey `a` before it');
  });

  it('a step after an `if` whose every branch leaves', () => {
    const snippet = 'journey a { entry on demo_requested\n  if budget > 3 { end } else { move to b }\n  send hello\n}\njourney b { send bye }';
    const [d] = only('NUR302', analyzeSnippet(snippet));
    expect(at(d)).toBe(where(snippet, 'send hello\n}'));
    expect(d.message).toContain('every branch of the `if` above leaves journey `a`');
  });

  it('not after an `if` without `else`, nor after a `repeat`', () => {
    const snippet = 'journey a { entry on demo_requested\n exit when stage >= mql\n  if budget > 3 { end }\n  repeat every 1 day max 2 times { end }\n  send hello\n}';
    expect(only('NUR302', analyzeSnippet(snippet))).toEqual([]);
  });
});

describe('NUR303 no progress', () => {
  it('a chain of `move to` that comes back without waiting', () => {
    const snippet = 'journey a { entry on demo_requested\n  send hello\n  move to b\n}\njourney b {\n  if budget > 3 { move to a }\n}';
    const [d, ...rest] = only('NUR303', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(d.severity).toBe('error');
    expect(at(d)).toBe(where(snippet, 'move to b'));
    expect(d.message).toBe('journeys `a` → `b` → `a` move to each other without waiting: a lead would go round forever');
    expect(d.related?.[0].span.line).toBe(pos(full(snippet), 'move to a').line);
  });

  it('a journey that moves to itself', () => {
    const snippet = 'journey a { entry on demo_requested\n  send hello\n  move to a\n}';
    const [d] = only('NUR303', analyzeSnippet(snippet));
    expect(d.message).toBe('journey `a` moves to itself without waiting: a lead would go round forever');
  });

  it('any wait on the way is progress', () => {
    for (const wait of ['wait 1 day', 'wait for email_opened up to 3 days', 'wait until budget > 3 up to 1 day']) {
      const snippet = `journey a { entry on demo_requested\n  send hello\n  ${wait}\n  move to b\n}\njourney b { move to a }`;
      expect(only('NUR303', analyzeSnippet(snippet))).toEqual([]);
    }
    const waitsInBranches = 'journey a { entry on demo_requested\n  if budget > 3 { wait 1 day } else { wait 2 days }\n  move to a\n}';
    expect(only('NUR303', analyzeSnippet(waitsInBranches))).toEqual([]);
  });

  it('a `repeat every 0 days` whose body never waits', () => {
    const snippet = 'journey a { entry on demo_requested\n exit when stage >= mql\n  repeat every 0 days { send hello }\n}';
    const [d] = only('NUR303', analyzeSnippet(snippet));
    expect(at(d)).toBe(where(snippet, 'repeat'));
    expect(d.message).toContain('never waits');
  });

  it('a repeat with a positive period needs no wait in its body', () => {
    const snippet = 'journey a { entry on demo_requested\n exit when stage >= mql\n  repeat every 1 day { send hello }\n}';
    expect(only('NUR303', analyzeSnippet(snippet))).toEqual([]);
  });
});

describe('NUR304 split percentages', () => {
  it('below 100%', () => {
    const snippet = 'journey a { entry on demo_requested\n  split {\n    50% { send hello }\n    40% { send bye }\n  }\n}';
    const [d] = only('NUR304', analyzeSnippet(snippet));
    expect(d.severity).toBe('error');
    expect(at(d)).toBe(where(snippet, 'split'));
    expect(d.span.endColumn - d.span.column).toBe(5);
    expect(d.message).toBe('the branches of this split in journey `a` add up to 90% (50% + 40%), not 100%');
    expect(d.help).toContain('10% of the leads would take no branch');
  });

  it('above 100%, and nested', () => {
    const snippet = 'journey a { entry on demo_requested\n  if budget > 3 {\n    split { 60% { send hello } 60% { send bye } }\n  }\n}';
    const [d] = only('NUR304', analyzeSnippet(snippet));
    expect(d.message).toContain('add up to 120%');
    expect(d.help).toBe('lower the percentages by 20% in all so that they add up to 100%');
  });

  it('exactly 100% with decimals', () => {
    const snippet = 'journey a { entry on demo_requested\n  split { 33.3% { send hello } 33.3% { send bye } 33.4% { send hello } }\n}';
    expect(only('NUR304', analyzeSnippet(snippet))).toEqual([]);
  });
});

describe('NUR306 journeys no lead can enter', () => {
  it('no entry rule and nobody moves or enrolls there', () => {
    const snippet = 'journey lonely {\n  send hello\n  move to lonely\n}';
    const [d] = only('NUR306', analyzeSnippet(snippet));
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, 'lonely'));
    expect(d.message).toBe('no lead can enter journey `lonely`: it has no `entry` rule, and no `move to` or `enroll` names it');
  });

  it('an `enroll` from a handler or a threshold, a `move to` from another journey, or any entry form is enough', () => {
    for (const snippet of [
      'journey j { send hello }\non demo_requested { enroll j }',
      'journey j { send hello }\nthreshold t when budget > 3 { enroll j }',
      'journey j { send hello }\njourney k { entry on demo_requested\n move to j }',
      'journey j { entry when budget > 3\n send hello }',
      'lead { renewal: date }\njourney j { entry 30 days before renewal\n send hello }',
    ]) {
      expect(only('NUR306', analyzeSnippet(snippet))).toEqual([]);
    }
  });
});

describe('NUR308 unbounded repeats', () => {
  it('no max, no until, no exit or goal', () => {
    const snippet = 'journey a { entry on demo_requested\n  repeat every 7 days { send hello }\n}';
    const [d] = only('NUR308', analyzeSnippet(snippet));
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, 'repeat'));
    expect(d.message).toBe('this `repeat every 7 days` never stops: it has no `max … times` or `until`, and journey `a` has no `exit` or `goal`');
  });

  it('bounded by max, until, an exit, a goal or a drip', () => {
    for (const snippet of [
      'journey a { entry on demo_requested\n  repeat every 7 days max 3 times { send hello }\n}',
      'journey a { entry on demo_requested\n  repeat every 7 days until budget > 3 { send hello }\n}',
      'journey a { entry on demo_requested\n exit on email_opened\n  repeat every 7 days { send hello }\n}',
      'journey a { entry on demo_requested\n goal on email_opened within 30 days\n  repeat every 7 days { send hello }\n}',
      'stream s: hello, bye\njourney a { entry on demo_requested\n  repeat every 7 days { send next from s }\n}',
    ]) {
      expect(only('NUR308', analyzeSnippet(snippet))).toEqual([]);
    }
  });
});

describe('NUR311 holdout', () => {
  it('above 50% is a warning on the percentage', () => {
    const snippet = 'journey a { entry on demo_requested\n  holdout 75%\n  send hello\n}';
    const [d] = only('NUR311', analyzeSnippet(snippet));
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, '75%'));
    expect(d.message).toBe('holdout 75% in journey `a` keeps most entrants out: only 25% of them would get its messages');
  });

  it('50% or less is fine', () => {
    expect(only('NUR311', analyzeSnippet('journey a { entry on demo_requested\n  holdout 50%\n  send hello\n}'))).toEqual([]);
  });

  it('outside 0–100% is an error (the lexer rejects such literals; guarded for built models)', () => {
    const { model } = check(BASE + USES + 'journey a { entry on demo_requested\n  holdout 10%\n  send hello\n}');
    const setting = model.journeys.get('a')!.decl.items.find((i) => i.kind === 'holdout');
    if (setting?.kind !== 'holdout') throw new Error('no holdout');
    setting.percent.value = 150;
    const [d] = only('NUR311', analyze(model));
    expect(d.severity).toBe('error');
    expect(d.message).toContain('holdout 150% in journey `a` is not a percentage');
  });
});
