// Actions and journeys → plan actions, settings and numbered steps (docs/plan.md, "Journeys").
//
// Steps are numbered in pre-order (a block's steps follow the step that owns it), so the index of
// every step is known before it is emitted: `size(step)` is 1 plus the sizes of its blocks. Each block
// is emitted with its continuation (where its last step goes): the step after the construct, the
// enclosing `repeat` (loop-back), or `null` (the journey is complete).
import type {
  Action as AstAction, JourneyDecl, JourneySetting, Step as AstStep,
} from '../../grammar/ast.js';
import type {
  Action, Entry, Exit, Goal, Journey, Reentry, Step, Target,
} from '../../runtime/plan-types.js';
import type { Lowering } from './context.js';
import { lowerConst, lowerExpr } from './expr.js';

/** `entry D before|after date` enters at 09:00 in the lead's time zone. */
export const DATE_ENTRY_MINUTE = 9 * 60;

const ACTION_KINDS: ReadonlySet<string> = new Set(['set', 'handoff', 'enroll', 'removeFrom', 'send']);

function isAction(step: AstStep): step is AstAction {
  return ACTION_KINDS.has(step.kind);
}

/** A threshold's or handler's body (the checker allows actions only there). */
export function lowerActions(lw: Lowering, steps: readonly AstStep[]): Action[] {
  return steps.map((s) => {
    if (!isAction(s)) return lw.fail(`\`${s.kind}\` is a journey step, not an action`, s.span);
    return lowerAction(lw, s);
  });
}

export function lowerAction(lw: Lowering, a: AstAction): Action {
  const loc = lw.loc(a.span);
  switch (a.kind) {
    case 'send':
      return { kind: 'send', content: lw.name(a.content, 'content'), loc };
    case 'handoff':
      return { kind: 'handoff', queue: a.queue.value, loc };
    case 'enroll':
      return { kind: 'enroll', journey: lw.name(a.journey, 'journey'), loc };
    case 'removeFrom':
      return { kind: 'removeFrom', journey: lw.name(a.journey, 'journey'), loc };
    case 'set': {
      const target = lw.symbol(a.target);
      if (target.kind === 'attribute') return { kind: 'setAttr', attribute: target.name, value: lowerExpr(lw, a.value), loc };
      if (target.kind === 'score') return { kind: 'setScore', score: target.name, value: lowerExpr(lw, a.value), loc };
      if (target.kind === 'builtin' && target.name === 'stage') {
        const value = lowerConst(lw, a.value);
        if (value.type !== 'stage') return lw.fail('`set stage` needs a stage', a.value.span);
        return { kind: 'setStage', stage: value.value, loc };
      }
      return lw.fail(`\`${a.target.text}\` (${target.kind}) cannot be set`, a.target.span);
    }
  }
}

// --- journeys ------------------------------------------------------------------------------------

export function lowerJourney(lw: Lowering, decl: JourneyDecl): Journey {
  const entries: Entry[] = [];
  const exits: Exit[] = [];
  let audience: Journey['audience'] = null;
  let reentry: Reentry = { mode: 'never', afterMs: null, loc: null };
  let goal: Goal | null = null;
  let holdoutPercent = 0;
  let priority = 0;
  const steps: AstStep[] = [];
  for (const item of decl.items) {
    if (!isSetting(item)) {
      steps.push(item);
      continue;
    }
    const loc = lw.loc(item.span);
    switch (item.kind) {
      case 'entryOn':
        entries.push({ kind: 'on', event: lw.name(item.event, 'event'), where: item.where ? lowerExpr(lw, item.where) : null, loc });
        break;
      case 'entryWhen':
        entries.push({ kind: 'when', condition: lowerExpr(lw, item.condition), loc });
        break;
      case 'entryDate':
        entries.push({
          kind: 'date',
          attribute: lw.name(item.attribute, 'attribute'),
          offsetMs: item.direction === 'before' ? -item.offset.ms : item.offset.ms,
          atMinute: DATE_ENTRY_MINUTE,
          yearly: item.yearly,
          loc,
        });
        break;
      case 'audience':
        audience = lowerExpr(lw, item.condition);
        break;
      case 'reentry':
        if (item.mode === 'after') {
          if (!item.after) return lw.fail('`reentry after` needs a duration', item.span);
          reentry = { mode: 'after', afterMs: item.after.ms, loc };
        } else {
          reentry = { mode: item.mode, afterMs: null, loc };
        }
        break;
      case 'exitWhen':
        exits.push({ kind: 'when', condition: lowerExpr(lw, item.condition), loc });
        break;
      case 'exitOn':
        exits.push({ kind: 'on', event: lw.name(item.event, 'event'), where: item.where ? lowerExpr(lw, item.where) : null, loc });
        break;
      case 'goalWhen':
        goal = { kind: 'when', condition: lowerExpr(lw, item.condition), withinMs: item.within.ms, loc };
        break;
      case 'goalOn':
        goal = {
          kind: 'on',
          event: lw.name(item.event, 'event'),
          where: item.where ? lowerExpr(lw, item.where) : null,
          withinMs: item.within.ms,
          loc,
        };
        break;
      case 'holdout':
        holdoutPercent = item.percent.value;
        break;
      case 'priority':
        priority = item.value.value;
        break;
    }
  }
  return {
    entries,
    audience,
    reentry,
    exits,
    goal,
    holdoutPercent,
    priority,
    steps: lowerSteps(lw, steps),
    loc: lw.loc(decl.span),
  };
}

const SETTING_KINDS: ReadonlySet<string> = new Set([
  'entryOn', 'entryWhen', 'entryDate', 'audience', 'reentry', 'exitWhen', 'exitOn', 'goalWhen', 'goalOn',
  'holdout', 'priority',
]);

function isSetting(item: JourneyDecl['items'][number]): item is JourneySetting {
  return SETTING_KINDS.has(item.kind);
}

/** The steps of a journey body, numbered in pre-order, every transition explicit. */
export function lowerSteps(lw: Lowering, body: readonly AstStep[]): Step[] {
  const out: Step[] = [];
  const sizes = new Map<AstStep, number>();
  const size = (s: AstStep): number => {
    let n = sizes.get(s);
    if (n !== undefined) return n;
    n = 1;
    for (const block of blocksOf(s)) for (const inner of block) n += size(inner);
    sizes.set(s, n);
    return n;
  };
  const blockSize = (block: readonly AstStep[] | undefined): number => {
    let n = 0;
    for (const s of block ?? []) n += size(s);
    return n;
  };

  /**
   * Emits `block` from index `start`; its last step goes to `cont`. `loopExit` is the `next` of the
   * innermost enclosing `repeat` (`undefined` outside any). Returns the block's entry target.
   */
  const emitBlock = (block: readonly AstStep[] | undefined, start: number, cont: Target, loopExit: { next: Target } | undefined): Target => {
    if (!block || block.length === 0) return cont;
    let at = start;
    block.forEach((step, i) => {
      const next = i === block.length - 1 ? cont : at + size(step);
      emitStep(step, at, next, loopExit);
      at += size(step);
    });
    return start;
  };

  const emitStep = (s: AstStep, id: number, next: Target, loopExit: { next: Target } | undefined): void => {
    const loc = lw.loc(s.span);
    const place = (step: Step): void => {
      out[id] = step;
    };
    switch (s.kind) {
      case 'send':
        place({ id, kind: 'send', content: lw.name(s.content, 'content'), next, loc });
        return;
      case 'sendNext':
        place({ id, kind: 'sendNext', stream: lw.name(s.stream, 'stream'), next, exhausted: loopExit ? loopExit.next : next, loc });
        return;
      case 'wait':
        place({ id, kind: 'wait', durationMs: s.duration.ms, next, loc });
        return;
      case 'waitFor': {
        const event = lw.name(s.event, 'event');
        const where = s.where ? lowerExpr(lw, s.where) : null;
        // Reserve the slot first so that the step precedes its blocks in `out` (ids are indexes anyway).
        const onEvent = emitBlock(s.then, id + 1, next, loopExit);
        const onTimeout = emitBlock(s.timeout, id + 1 + blockSize(s.then), next, loopExit);
        place({ id, kind: 'waitFor', event, where, upToMs: s.upTo.ms, onEvent, onTimeout, loc });
        return;
      }
      case 'waitUntil': {
        const condition = lowerExpr(lw, s.condition);
        const onTrue = emitBlock(s.then, id + 1, next, loopExit);
        const onTimeout = emitBlock(s.timeout, id + 1 + blockSize(s.then), next, loopExit);
        place({ id, kind: 'waitUntil', condition, upToMs: s.upTo.ms, onTrue, onTimeout, loc });
        return;
      }
      case 'if': {
        let at = id + 1;
        const branches = s.branches.map((b) => {
          const condition = lowerExpr(lw, b.condition);
          const target = emitBlock(b.body, at, next, loopExit);
          at += blockSize(b.body);
          return { condition, target, loc: lw.loc(b.span) };
        });
        const otherwise = emitBlock(s.otherwise, at, next, loopExit);
        place({ id, kind: 'if', branches, else: otherwise, loc });
        return;
      }
      case 'split': {
        let at = id + 1;
        const branches = s.branches.map((b) => {
          const target = emitBlock(b.body, at, next, loopExit);
          at += blockSize(b.body);
          return { percent: b.percent.value, target, loc: lw.loc(b.span) };
        });
        place({ id, kind: 'split', branches, loc });
        return;
      }
      case 'repeat': {
        const until = s.until ? lowerExpr(lw, s.until) : null;
        const body = emitBlock(s.body, id + 1, id, { next });
        place({
          id,
          kind: 'repeat',
          everyMs: s.every.ms,
          max: s.max ? s.max.value : null,
          until,
          body: body ?? id,
          next,
          loc,
        });
        return;
      }
      case 'moveTo':
        place({ id, kind: 'moveTo', journey: lw.name(s.journey, 'journey'), loc });
        return;
      case 'end':
        place({ id, kind: 'end', loc });
        return;
      default: {
        // An action as a step: its fields, then `next` before `loc` (the schema's order).
        const { loc: _loc, ...fields } = lowerAction(lw, s);
        void _loc;
        place({ id, ...fields, next, loc } as Step);
        return;
      }
    }
  };

  emitBlock(body, 0, null, undefined);
  // Every slot is filled: ids are the pre-order positions computed by `size`.
  for (let i = 0; i < out.length; i++) if (!out[i]) lw.fail(`internal: step ${i} was not emitted`, undefined);
  return out;
}

function blocksOf(s: AstStep): (readonly AstStep[])[] {
  switch (s.kind) {
    case 'waitFor':
    case 'waitUntil':
      return [s.then ?? [], s.timeout ?? []];
    case 'if':
      return [...s.branches.map((b) => b.body), s.otherwise ?? []];
    case 'split':
      return s.branches.map((b) => b.body);
    case 'repeat':
      return [s.body];
    default:
      return [];
  }
}
