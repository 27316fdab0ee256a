// Loads a plan: parses JSON, validates it against the plan schema (ajv's code for it, generated at build
// time: plan-validator-code.ts), then checks what a schema cannot express (step targets, references
// between declarations, loops that never wait, …). Never throws: every problem comes back as
// `{ path, message }` with a JSON pointer.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { planSchema, type JsonSchema } from './plan-schema.js';
import { validate as validatePlanSchema } from './plan-validator.generated.js';
import { stepTargets } from './plan-steps.js';
import { forEachChild, walkExpr } from './plan-expr-walk.js';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type Action,
  type Expr,
  type Journey,
  type LoadPlanResult,
  type Plan,
  type PlanError,
  type Step,
} from './plan-types.js';

export type { LoadPlanResult, PlanError } from './plan-types.js';

/** Deeper documents are refused before validation (guards the recursive validator). */
export const MAX_PLAN_DEPTH = 256;
/** At most this many semantic errors are reported (then one "… and N more"). */
export const MAX_PLAN_ERRORS = 50;

/**
 * Loads a plan from JSON text (a string or UTF-8 bytes) or from an already parsed value.
 * On success the returned plan is the parsed value itself (not a copy).
 */
export function loadPlan(input: unknown): LoadPlanResult {
  try {
    let value: unknown = input;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      const parsed = parseJson(input);
      if (!parsed.ok) return { ok: false, errors: [parsed.error] };
      value = parsed.value;
    }
    return checkValue(value);
  } catch (e) {
    // Not expected; kept so that no input can make the loader throw (e.g. a throwing getter).
    return { ok: false, errors: [{ path: '', message: `the plan could not be checked: ${safeString(e)}` }] };
  }
}

/** `path: message` lines, for a terminal. */
export function formatPlanErrors(errors: PlanError[], file?: string): string {
  return errors.map((e) => `${file ? `${file}: ` : ''}${e.path || '(document)'}: ${e.message}`).join('\n');
}

function checkValue(value: unknown): LoadPlanResult {
  const pre = checkEnvelope(value);
  if (pre) return { ok: false, errors: [pre] };
  const deep = findTooDeep(value);
  if (deep !== null) {
    return { ok: false, errors: [{ path: deep, message: `the plan is nested more than ${MAX_PLAN_DEPTH} levels deep here` }] };
  }
  if (!validatePlanSchema(value)) {
    return { ok: false, errors: [describeSchemaErrors(validatePlanSchema.errors ?? [])] };
  }
  const plan = value as Plan; // the schema mirrors plan-types.ts
  const errors = checkSemantics(plan);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, plan };
}

// ---------------------------------------------------------------------------------------------
// JSON text

function parseJson(input: string | Uint8Array): { ok: true; value: unknown } | { ok: false; error: PlanError } {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { ok: false, error: { path: '', message: 'the plan is not valid UTF-8 text' } };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const found = findJsonSyntaxError(text) ?? { offset: 0, reason: safeString(e) };
    const { line, column } = lineColumn(text, found.offset);
    return { ok: false, error: { path: '', message: `invalid JSON at line ${line}, column ${column}: ${found.reason}` } };
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Finds the first JSON syntax error (V8's messages do not always carry a position). Iterative. */
export function findJsonSyntaxError(s: string): { offset: number; reason: string } | null {
  const n = s.length;
  let i = 0;
  const stack: number[] = []; // 123 = '{', 91 = '['
  type Mode = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';
  let mode: Mode = 'value';
  const fail = (reason: string) => ({ offset: i, reason });
  const found = () => (i >= n ? 'the end of the text' : describeChar(s, i));
  const skipSpace = () => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const scanString = (): { offset: number; reason: string } | null => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 32) return fail('a control character (such as a newline) inside a string');
      if (c === 92) {
        const e = s[i + 1];
        if (e === undefined) break;
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return fail('an invalid \\u escape in a string');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return fail(`an invalid escape \\${e} in a string`);
        }
        continue;
      }
      i++;
    }
    i = start;
    return fail('a string that is never closed');
  };
  for (;;) {
    skipSpace();
    if (mode === 'value' || mode === 'firstValue') {
      if (i >= n) return fail('unexpected end of the text, expected a value');
      const c = s[i]!;
      if (mode === 'firstValue' && c === ']') {
        stack.pop();
        i++;
        mode = 'after';
      } else if (c === '{') {
        stack.push(123);
        i++;
        mode = 'firstKey';
      } else if (c === '[') {
        stack.push(91);
        i++;
        mode = 'firstValue';
      } else if (c === '"') {
        const r = scanString();
        if (r) return r;
        mode = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER_RE.lastIndex = i;
        if (!NUMBER_RE.test(s)) return fail(`an invalid number`);
        i = NUMBER_RE.lastIndex;
        mode = 'after';
      } else if (s.startsWith('true', i) || s.startsWith('null', i)) {
        i += 4;
        mode = 'after';
      } else if (s.startsWith('false', i)) {
        i += 5;
        mode = 'after';
      } else {
        return fail(`unexpected ${found()}, expected a value`);
      }
    } else if (mode === 'key' || mode === 'firstKey') {
      if (mode === 'firstKey' && s[i] === '}') {
        stack.pop();
        i++;
        mode = 'after';
        continue;
      }
      if (s[i] !== '"') return fail(`unexpected ${found()}, expected a property name in double quotes`);
      const r = scanString();
      if (r) return r;
      skipSpace();
      if (s[i] !== ':') return fail(`unexpected ${found()}, expected ':' after the property name`);
      i++;
      mode = 'value';
    } else {
      if (stack.length === 0) return i < n ? fail(`unexpected ${found()} after the end of the JSON value`) : null;
      const close = stack[stack.length - 1] === 123 ? '}' : ']';
      if (s[i] === ',') {
        i++;
        mode = close === '}' ? 'key' : 'value';
      } else if (s[i] === close) {
        stack.pop();
        i++;
      } else {
        return fail(`unexpected ${found()}, expected ',' or '${close}'`);
      }
    }
  }
}

function describeChar(s: string, i: number): string {
  const c = s.codePointAt(i)!;
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(c)}'`;
}

// ---------------------------------------------------------------------------------------------
// Envelope, depth

function checkEnvelope(value: unknown): PlanError | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { path: '', message: `a plan must be a JSON object, not ${describeValue(value)}` };
  }
  const v = value as Record<string, unknown>;
  if (!Object.hasOwn(v, 'format')) {
    return { path: '/format', message: `missing required property \`format\`: this is not a nurture plan` };
  }
  if (v.format !== PLAN_FORMAT) {
    return {
      path: '/format',
      message: `not a nurture plan: \`format\` is ${describeValue(v.format)}, expected "${PLAN_FORMAT}"`,
    };
  }
  if (!Object.hasOwn(v, 'version')) return { path: '/version', message: 'missing required property `version`' };
  const version = v.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { path: '/version', message: `\`version\` must be an integer, not ${describeValue(version)}` };
  }
  if (version > PLAN_VERSION) {
    return {
      path: '/version',
      message: `plan version ${version} is newer than this runtime supports (${PLAN_VERSION}); upgrade nurture`,
    };
  }
  if (version !== PLAN_VERSION) {
    return { path: '/version', message: `plan version ${version} is not supported (this runtime supports version ${PLAN_VERSION})` };
  }
  return null;
}

/** JSON pointer of the first place deeper than MAX_PLAN_DEPTH, or null. Iterative; stops on cycles. */
function findTooDeep(root: unknown): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_PLAN_DEPTH) return path;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, path: `${path}/${i}` });
    } else {
      const keys = Object.keys(value);
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k]!;
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: `${path}/${escapePointer(key)}` });
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Schema errors → readable text

function describeSchemaErrors(errors: ErrorObject[]): PlanError {
  // The validator stops at the first failure, but `anyOf` (nullable values) reports every branch:
  // keep the most specific error, i.e. the deepest that is not "must be null" or a summary.
  const useful = errors.filter(
    (e) => !['anyOf', 'oneOf', 'propertyNames'].includes(e.keyword) && !(e.keyword === 'type' && e.params.type === 'null'),
  );
  // A key that is not a name: the failing pattern of the name's definition does not say which key;
  // the `propertyNames` error that wraps it does.
  const badKey = errors.find((e) => e.keyword === 'propertyNames');
  if (badKey !== undefined) return badName(badKey.instancePath, String(badKey.params.propertyName));
  const pool = useful.length > 0 ? useful : errors;
  let best = pool[0];
  for (const e of pool) if (best && depthOf(e.instancePath) > depthOf(best.instancePath)) best = e;
  if (!best) return { path: '', message: 'the plan does not match the plan schema' };
  return describeSchemaError(best);
}

function badName(path: string, key: string): PlanError {
  return { path: `${path}/${escapePointer(key)}`, message: `\`${key}\` is not a valid name (a letter or "_", then letters, digits or "_")` };
}

function depthOf(pointer: string): number {
  let d = 0;
  for (let i = 0; i < pointer.length; i++) if (pointer.charCodeAt(i) === 47) d++;
  return d;
}

function describeSchemaError(e: ErrorObject): PlanError {
  const path = e.instancePath;
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const title = typeof parent.title === 'string' ? parent.title : undefined;
  const data: unknown = e.data;
  const p = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) return badName(path, e.propertyName);
  switch (e.keyword) {
    case 'required':
      return { path: `${path}/${escapePointer(String(p.missingProperty))}`, message: `missing required property \`${String(p.missingProperty)}\`` };
    case 'additionalProperties': {
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const extra = String(p.additionalProperty);
      return {
        path: `${path}/${escapePointer(extra)}`,
        message: `unknown property \`${extra}\`${title ? ` in ${article(title)}` : ''}; allowed: ${allowed.join(', ')}`,
      };
    }
    case 'discriminator': {
      const tag = String(p.tag);
      const allowed = discriminatorValues(parent, tag);
      const what = title ?? tag;
      const value = (data as Record<string, unknown> | null)?.[tag];
      if (value === undefined) {
        return { path: `${path}/${escapePointer(tag)}`, message: `missing required property \`${tag}\` (the ${what}: one of ${allowed.join(', ')})` };
      }
      if (typeof value !== 'string') {
        return { path: `${path}/${escapePointer(tag)}`, message: `the ${what} must be a string, one of ${allowed.join(', ')} (got ${describeValue(value)})` };
      }
      return { path: `${path}/${escapePointer(tag)}`, message: `unknown ${what} \`${value}\`; expected one of ${allowed.join(', ')}` };
    }
    case 'enum':
      return { path, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(data)})` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)} (got ${describeValue(data)})` };
    case 'type': {
      const types = String(p.type).split(',').map((t) => (t === 'null' ? 'null' : article(t === 'boolean' ? 'boolean' : t)));
      return { path, message: `${title ? `${title}: ` : ''}must be ${types.join(' or ')}, not ${describeValue(data)}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[e.keyword];
      return { path, message: `${title ? `${title}: ` : ''}must be ${words} ${String(p.limit)} (got ${describeValue(data)})` };
    }
    case 'pattern':
      if (title === 'name') return { path, message: `${describeValue(data)} is not a valid name (a letter or "_", then letters, digits or "_")` };
      if (title === 'hash') return { path, message: `${describeValue(data)} is not a valid hash (expected "sha256:" and 64 lowercase hex digits)` };
      return { path, message: `${describeValue(data)} does not match ${String(p.pattern)}` };
    case 'minItems':
      return { path, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'} (got ${Array.isArray(data) ? data.length : 0})` };
    case 'maxItems':
    case 'items':
      return { path, message: `must have at most ${String(p.limit)} items${title ? ` (${title})` : ''}` };
    case 'uniqueItems':
      return { path, message: `must not repeat a value (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are equal)` };
    case 'minLength':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    default:
      return { path, message: e.message ?? `does not match the plan schema (${e.keyword})` };
  }
}

/** The tag values a discriminated union accepts, for messages. */
function discriminatorValues(union: JsonSchema, tag: string): string[] {
  const defs = planSchema.$defs as Record<string, JsonSchema>;
  const out: string[] = [];
  for (const branch of (union.oneOf ?? []) as JsonSchema[]) {
    const resolved = typeof branch.$ref === 'string' ? defs[branch.$ref.replace('#/$defs/', '')] : branch;
    const prop = ((resolved?.properties ?? {}) as Record<string, JsonSchema>)[tag];
    if (prop?.const !== undefined) out.push(String(prop.const));
    else if (Array.isArray(prop?.enum)) out.push(...prop.enum.map(String));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Semantic checks

interface ExprContext {
  /** The event whose fields `field` refs may name (inside a `where`), or null. */
  event: string | null;
  /** Inside `tests`: `received … at` and `received … N times` are allowed. */
  inTest: boolean;
}

const WAITING_STEPS: ReadonlySet<string> = new Set(['wait', 'waitFor', 'waitUntil', 'repeat']);

function checkSemantics(plan: Plan): PlanError[] {
  const errors: PlanError[] = [];
  let dropped = 0;
  const err = (path: string, message: string) => {
    if (errors.length < MAX_PLAN_ERRORS) errors.push({ path, message });
    else dropped++;
  };
  const has = (map: object, key: string) => Object.hasOwn(map, key);
  const q = (name: string) => `\`${name}\``;

  // Source and locations ----------------------------------------------------------------------
  const fileCount = plan.source.files.length;
  const seenFiles = new Map<string, number>();
  plan.source.files.forEach((f, i) => {
    const first = seenFiles.get(f.path);
    if (first !== undefined) err(`/source/files/${i}/path`, `file ${q(f.path)} is listed twice (also at index ${first})`);
    else seenFiles.set(f.path, i);
  });
  checkLocs(plan, fileCount, err);
  if (!isKnownTimeZone(plan.timezone)) err('/timezone', `unknown time zone ${q(plan.timezone)} (expected an IANA name such as "Europe/Paris")`);

  // Declarations ------------------------------------------------------------------------------
  const stageCount = plan.stages.length;
  const seenStages = new Map<string, number>();
  plan.stages.forEach((s, i) => {
    if (seenStages.has(s.name)) err(`/stages/${i}/name`, `stage ${q(s.name)} is listed twice`);
    else seenStages.set(s.name, i);
  });

  for (const [name, channel] of Object.entries(plan.channels)) {
    if (channel.consent === null) continue;
    const path = `/channels/${name}/consent`;
    const attr = has(plan.attributes, channel.consent) ? plan.attributes[channel.consent] : undefined;
    if (!attr) err(path, `channel ${q(name)} uses consent attribute ${q(channel.consent)}, which is not declared`);
    else if (attr.type !== 'bool') err(path, `consent attribute ${q(channel.consent)} of channel ${q(name)} is ${attr.type}, not bool`);
  }
  for (const [name, content] of Object.entries(plan.contents)) {
    if (!has(plan.channels, content.channel)) err(`/contents/${name}/channel`, `content ${q(name)} is on channel ${q(content.channel)}, which is not declared`);
    if (content.topic !== null && !has(plan.topics, content.topic)) err(`/contents/${name}/topic`, `content ${q(name)} has topic ${q(content.topic)}, which is not declared`);
  }
  for (const [name, stream] of Object.entries(plan.streams)) {
    stream.contents.forEach((c, i) => {
      if (!has(plan.contents, c)) err(`/streams/${name}/contents/${i}`, `stream ${q(name)} lists content ${q(c)}, which is not declared`);
    });
  }

  // Expressions -------------------------------------------------------------------------------
  const refName = (kind: string, map: object, name: string, path: string) => {
    if (!has(map, name)) err(path, `${kind} ${q(name)} is not declared`);
  };
  const eventRef = (name: string, path: string) => refName('event', plan.events, name, path);
  const contentRef = (name: string, path: string) => refName('content', plan.contents, name, path);
  const journeyRef = (name: string, path: string) => refName('journey', plan.journeys, name, path);
  const stageRef = (index: number, path: string) => {
    if (index >= stageCount) {
      err(path, stageCount === 0 ? `stage ${index} is used, but the plan declares no stages` : `stage ${index} does not exist: the plan has ${stageCount} stage${stageCount === 1 ? '' : 's'} (0–${stageCount - 1})`);
    }
  };

  /** The checks of one node (its children: `checkExpr`). */
  const checkNode = (e: Expr, path: string, ctx: ExprContext): void => {
    switch (e.op) {
      case 'has':
        eventRef(e.event, `${path}/event`);
        return;
      case 'received':
        contentRef(e.content, `${path}/content`);
        if (!ctx.inTest && e.atMs !== null) err(`${path}/atMs`, '`received … at` is only allowed in tests');
        if (!ctx.inTest && e.times !== null) err(`${path}/times`, '`received … N times` is only allowed in tests');
        return;
      case 'receivedAny':
        refName('stream', plan.streams, e.stream, `${path}/stream`);
        return;
      case 'inJourney':
      case 'completedJourney':
        journeyRef(e.journey, `${path}/journey`);
        return;
      case 'segment':
        refName('segment', plan.segments, e.name, `${path}/name`);
        return;
      case 'attr':
        refName('attribute', plan.attributes, e.name, `${path}/name`);
        return;
      case 'stage':
        if (stageCount === 0) err(path, 'the stage is used, but the plan declares no stages');
        return;
      case 'score':
        refName('score', plan.scores, e.name, `${path}/name`);
        return;
      case 'field': {
        if (ctx.event === null) {
          err(path, `event field ${q(e.name)} is used outside a \`where\` clause`);
        } else if (has(plan.events, ctx.event) && !has(plan.events[ctx.event]!.fields, e.name)) {
          err(`${path}/name`, `event ${q(ctx.event)} has no field ${q(e.name)}`);
        }
        return;
      }
      case 'const':
        switch (e.type) {
          case 'stage':
            stageRef(e.value, `${path}/value`);
            return;
          case 'content':
            contentRef(e.value, `${path}/value`);
            return;
          case 'channel':
            refName('channel', plan.channels, e.value, `${path}/value`);
            return;
          case 'topic':
            refName('topic', plan.topics, e.value, `${path}/value`);
            return;
          default:
            return;
        }
      default:
        return;
    }
  };
  const checkExpr = (e: Expr, path: string, ctx: ExprContext): void => {
    checkNode(e, path, ctx);
    // inside the `where` of a `has`, fields are that event's
    const inner = e.op === 'has' ? { ...ctx, event: e.event } : ctx;
    forEachChild(e, (child, step) => checkExpr(child, `${path}/${step}`, inner));
  };
  const plain: ExprContext = { event: null, inTest: false };
  const whereOf = (event: string): ExprContext => ({ event, inTest: false });

  const checkAction = (a: Action | Step, path: string): void => {
    switch (a.kind) {
      case 'send':
        contentRef(a.content, `${path}/content`);
        return;
      case 'setAttr':
        refName('attribute', plan.attributes, a.attribute, `${path}/attribute`);
        checkExpr(a.value, `${path}/value`, plain);
        return;
      case 'setStage':
        stageRef(a.stage, `${path}/stage`);
        return;
      case 'setScore': {
        const score = has(plan.scores, a.score) ? plan.scores[a.score] : undefined;
        if (!score) err(`${path}/score`, `score ${q(a.score)} is not declared`);
        else if (score.kind !== 'rules') err(`${path}/score`, `score ${q(a.score)} is derived: only a score with rules can be set`);
        checkExpr(a.value, `${path}/value`, plain);
        return;
      }
      case 'enroll':
      case 'removeFrom':
        journeyRef(a.journey, `${path}/journey`);
        return;
      default:
        return;
    }
  };

  for (const [name, segment] of Object.entries(plan.segments)) checkExpr(segment.condition, `/segments/${name}/condition`, plain);

  for (const [name, score] of Object.entries(plan.scores)) {
    const path = `/scores/${name}`;
    if (score.kind === 'derived') {
      checkExpr(score.expr, `${path}/expr`, plain);
      continue;
    }
    score.fit.forEach((r, i) => checkExpr(r.condition, `${path}/fit/${i}/condition`, plain));
    score.engagement.forEach((r, i) => {
      eventRef(r.event, `${path}/engagement/${i}/event`);
      if (r.where) checkExpr(r.where, `${path}/engagement/${i}/where`, whereOf(r.event));
    });
    if (score.range.min > score.range.max) err(`${path}/range`, `score ${q(name)} has range ${score.range.min} to ${score.range.max}: the minimum is above the maximum`);
  }
  checkDependencyCycles(plan, err);

  for (const [name, t] of Object.entries(plan.thresholds)) {
    checkExpr(t.condition, `/thresholds/${name}/condition`, plain);
    t.actions.forEach((a, i) => checkAction(a, `/thresholds/${name}/actions/${i}`));
  }
  plan.handlers.forEach((h, i) => {
    eventRef(h.event, `/handlers/${i}/event`);
    if (h.where) checkExpr(h.where, `/handlers/${i}/where`, whereOf(h.event));
    h.actions.forEach((a, j) => checkAction(a, `/handlers/${i}/actions/${j}`));
  });

  const p = plan.pressure;
  p.caps.forEach((c, i) => {
    if (c.channel !== null) refName('channel', plan.channels, c.channel, `/pressure/caps/${i}/channel`);
  });
  p.gaps.forEach((g, i) => {
    if (g.channel !== null) refName('channel', plan.channels, g.channel, `/pressure/gaps/${i}/channel`);
  });

  // Journeys ----------------------------------------------------------------------------------
  for (const [name, journey] of Object.entries(plan.journeys)) {
    const path = `/journeys/${name}`;
    journey.entries.forEach((entry, i) => {
      const ep = `${path}/entries/${i}`;
      if (entry.kind === 'on') {
        eventRef(entry.event, `${ep}/event`);
        if (entry.where) checkExpr(entry.where, `${ep}/where`, whereOf(entry.event));
      } else if (entry.kind === 'when') {
        checkExpr(entry.condition, `${ep}/condition`, plain);
      } else {
        const attr = has(plan.attributes, entry.attribute) ? plan.attributes[entry.attribute] : undefined;
        if (!attr) err(`${ep}/attribute`, `attribute ${q(entry.attribute)} is not declared`);
        else if (attr.type !== 'date') err(`${ep}/attribute`, `entry by date needs a date attribute, but ${q(entry.attribute)} is ${attr.type}`);
      }
    });
    if (journey.audience) checkExpr(journey.audience, `${path}/audience`, plain);
    journey.exits.forEach((exit, i) => {
      const xp = `${path}/exits/${i}`;
      if (exit.kind === 'on') {
        eventRef(exit.event, `${xp}/event`);
        if (exit.where) checkExpr(exit.where, `${xp}/where`, whereOf(exit.event));
      } else {
        checkExpr(exit.condition, `${xp}/condition`, plain);
      }
    });
    const goal = journey.goal;
    if (goal) {
      if (goal.kind === 'on') {
        eventRef(goal.event, `${path}/goal/event`);
        if (goal.where) checkExpr(goal.where, `${path}/goal/where`, whereOf(goal.event));
      } else {
        checkExpr(goal.condition, `${path}/goal/condition`, plain);
      }
    }
    checkSteps(name, journey, path);
  }

  function checkSteps(journeyName: string, journey: Journey, path: string): void {
    const steps = journey.steps;
    const count = steps.length;
    const where = `journey ${q(journeyName)}`;
    const target = (step: number, t: number | null, tp: string) => {
      if (t !== null && t >= count) {
        err(tp, `step ${step} of ${where} goes to step ${t}, but the journey has ${count} step${count === 1 ? '' : 's'}${count > 0 ? ` (0–${count - 1})` : ''}`);
      }
    };
    steps.forEach((step, i) => {
      const sp = `${path}/steps/${i}`;
      if (step.id !== i) err(`${sp}/id`, `the step at index ${i} of ${where} has id ${step.id}; a step's id must be its index`);
      switch (step.kind) {
        case 'sendNext':
          refName('stream', plan.streams, step.stream, `${sp}/stream`);
          target(i, step.next, `${sp}/next`);
          target(i, step.exhausted, `${sp}/exhausted`);
          return;
        case 'wait':
          target(i, step.next, `${sp}/next`);
          return;
        case 'waitFor':
          eventRef(step.event, `${sp}/event`);
          if (step.where) checkExpr(step.where, `${sp}/where`, whereOf(step.event));
          target(i, step.onEvent, `${sp}/onEvent`);
          target(i, step.onTimeout, `${sp}/onTimeout`);
          return;
        case 'waitUntil':
          checkExpr(step.condition, `${sp}/condition`, plain);
          target(i, step.onTrue, `${sp}/onTrue`);
          target(i, step.onTimeout, `${sp}/onTimeout`);
          return;
        case 'if':
          step.branches.forEach((b, j) => {
            checkExpr(b.condition, `${sp}/branches/${j}/condition`, plain);
            target(i, b.target, `${sp}/branches/${j}/target`);
          });
          target(i, step.else, `${sp}/else`);
          return;
        case 'split': {
          let sum = 0;
          step.branches.forEach((b, j) => {
            sum += b.percent;
            target(i, b.target, `${sp}/branches/${j}/target`);
          });
          if (Math.abs(sum - 100) > 1e-9) err(`${sp}/branches`, `the split at step ${i} of ${where} sums to ${+sum.toFixed(6)}%, not 100%`);
          return;
        }
        case 'repeat':
          if (step.until) checkExpr(step.until, `${sp}/until`, plain);
          target(i, step.body, `${sp}/body`);
          target(i, step.next, `${sp}/next`);
          return;
        case 'moveTo':
          journeyRef(step.journey, `${sp}/journey`);
          return;
        case 'end':
          return;
        default:
          checkAction(step, sp);
          target(i, step.next, `${sp}/next`);
      }
    });
    const loop = findLoopWithoutWait(steps);
    if (loop) {
      err(`${path}/steps/${loop[0]}`, `steps ${[...loop, loop[0]].join(' → ')} of ${where} form a loop that never waits`);
    }
  }

  // Tests -------------------------------------------------------------------------------------
  plan.tests.forEach((test, i) => {
    const tp = `/tests/${i}`;
    const testCtx: ExprContext = { event: null, inTest: true };
    if (test.lead) {
      for (const [attr, value] of Object.entries(test.lead.profile)) {
        refName('attribute', plan.attributes, attr, `${tp}/lead/profile/${attr}`);
        checkExpr(value, `${tp}/lead/profile/${attr}`, testCtx);
      }
    }
    let clock = test.startMs;
    test.statements.forEach((st, j) => {
      const sp = `${tp}/statements/${j}`;
      switch (st.kind) {
        case 'holdout':
          journeyRef(st.journey, `${sp}/journey`);
          return;
        case 'controlGroup':
          return;
        case 'at':
          if (st.atMs < clock) err(`${sp}/atMs`, `test ${JSON.stringify(test.name)} goes back in time: ${new Date(st.atMs).toISOString()} is before ${new Date(clock).toISOString()}`);
          clock = Math.max(clock, st.atMs);
          return;
        case 'after':
          clock += st.durationMs;
          return;
        case 'event':
          eventRef(st.event, `${sp}/event`);
          for (const [field, value] of Object.entries(st.data)) {
            if (has(plan.events, st.event) && !has(plan.events[st.event]!.fields, field)) err(`${sp}/data/${field}`, `event ${q(st.event)} has no field ${q(field)}`);
            checkExpr(value, `${sp}/data/${field}`, testCtx);
          }
          return;
        case 'profile':
          for (const [attr, value] of Object.entries(st.data)) {
            refName('attribute', plan.attributes, attr, `${sp}/data/${attr}`);
            checkExpr(value, `${sp}/data/${attr}`, testCtx);
          }
          return;
        case 'expect':
          checkExpr(st.condition, `${sp}/condition`, testCtx);
          return;
      }
    });
  });

  if (dropped > 0) errors.push({ path: '', message: `… and ${dropped} more problem${dropped === 1 ? '' : 's'}` });
  return errors;
}

/** Every `loc` must point at a listed source file. */
function checkLocs(root: unknown, fileCount: number, err: (path: string, message: string) => void): void {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}/${i}` });
      continue;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const child = record[key];
      if (key === 'loc' && Array.isArray(child) && typeof child[0] === 'number') {
        if (child[0] >= fileCount) {
          err(`${path}/loc/0`, `location refers to source file ${child[0]}, but the plan lists ${fileCount} source file${fileCount === 1 ? '' : 's'}`);
        }
        continue;
      }
      stack.push({ value: child, path: `${path}/${escapePointer(key)}` });
    }
  }
}

/**
 * Segments, fit conditions and derived scores are evaluated on demand and may refer to each other:
 * a cycle would never finish evaluating.
 */
function checkDependencyCycles(plan: Plan, err: (path: string, message: string) => void): void {
  const deps = new Map<string, string[]>(); // "segment:x" / "score:x" → same
  const collect = (e: Expr, out: string[]): void =>
    walkExpr(e, (n) => {
      if (n.op === 'segment') out.push(`segment:${n.name}`);
      else if (n.op === 'score') out.push(`score:${n.name}`);
      return n.op !== 'has'; // `has … where` looks at past events, not at segments or scores of the lead
    });
  for (const [name, s] of Object.entries(plan.segments)) {
    const out: string[] = [];
    collect(s.condition, out);
    deps.set(`segment:${name}`, out);
  }
  for (const [name, s] of Object.entries(plan.scores)) {
    const out: string[] = [];
    if (s.kind === 'derived') collect(s.expr, out);
    else s.fit.forEach((r) => collect(r.condition, out));
    deps.set(`score:${name}`, out);
  }
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const reported = new Set<string>();
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 1);
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = deps.get(top.node) ?? [];
      if (top.next >= edges.length) {
        state.set(top.node, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const to = edges[top.next++]!;
      if (!deps.has(to)) continue; // undeclared: reported elsewhere
      const s = state.get(to);
      if (s === 1) {
        const cycle = path.slice(path.indexOf(to));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const [kind, name] = splitNode(to);
          const names = [...cycle, to].map((n) => splitNode(n)[1]).join(' → ');
          err(`/${kind === 'segment' ? 'segments' : 'scores'}/${escapePointer(name)}`, `${kind} \`${name}\` depends on itself: ${names}`);
        }
      } else if (s === undefined) {
        state.set(to, 1);
        path.push(to);
        stack.push({ node: to, next: 0 });
      }
    }
  }
}

function splitNode(node: string): [string, string] {
  const i = node.indexOf(':');
  return [node.slice(0, i), node.slice(i + 1)];
}

/** Step targets of one step (for loop detection). */
/** A cycle of steps none of which waits (the runtime would spin), as step indexes, or null. */
function findLoopWithoutWait(steps: Step[]): number[] | null {
  const n = steps.length;
  const state = new Uint8Array(n); // 0 new, 1 on path, 2 done
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0 || WAITING_STEPS.has(steps[start]!.kind)) continue;
    const stack: { node: number; edges: (number | null)[]; next: number }[] = [];
    const path: number[] = [];
    const push = (node: number) => {
      state[node] = 1;
      path.push(node);
      stack.push({ node, edges: stepTargets(steps[node]!), next: 0 });
    };
    push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.edges.length) {
        state[top.node] = 2;
        stack.pop();
        path.pop();
        continue;
      }
      const to = top.edges[top.next++];
      if (to === null || to === undefined || to >= n || WAITING_STEPS.has(steps[to]!.kind)) continue;
      if (state[to] === 1) return path.slice(path.indexOf(to));
      if (state[to] === 0) push(to);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
    case 'boolean':
      return `the boolean ${v}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

function safeString(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unknown error';
  }
}
