// A valid workspace whose names are chosen by the caller: the names-are-data tests (issue 20) fill it
// with the properties of Object.prototype (`__proto__`, `constructor`, …) and ordinary words.

/** Names that are keys of every plain object (or special to `obj[key] = v`). */
export const HOSTILE_NAMES = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf',
  'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__',
];
export const ORDINARY = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi', 'rho', 'sigma', 'tau', 'upsilon'];

export const ROLES = [
  'attr', 'consent', 'tier', 'member', 'other', 'event', 'field', 'channel', 'topic', 'content', 'content2', 'meta',
  'stream', 'stage1', 'stage2', 'segment', 'score', 'threshold', 'journey',
] as const;
export type Names = Record<(typeof ROLES)[number], string> & { lead: string; handoff: string };

export function workspace(n: Names): string {
  return `lead {
  ${n.attr}: number
  ${n.consent}: bool
  ${n.tier}: one of [${n.member}, ${n.other}]
}

event ${n.event} { ${n.field}: text }

channel ${n.channel} { consent: ${n.consent} }

topics ${n.topic}

content ${n.content} { channel: ${n.channel}, topic: ${n.topic}, ${n.meta}: "m" }
content ${n.content2} { channel: ${n.channel}, topic: ${n.topic} }

stream ${n.stream}: ${n.content2}

stages ${n.stage1}, ${n.stage2}

segment ${n.segment} = ${n.attr} >= 1 and ${n.tier} is ${n.member}

score ${n.score} {
  +10 on ${n.event} where ${n.field} is "go"
}

threshold ${n.threshold} when ${n.score} >= 10 and stage < ${n.stage2} {
  set stage = ${n.stage2}
  handoff ${JSON.stringify(n.handoff)}
}

journey ${n.journey} {
  entry on ${n.event}
  audience ${n.segment}
  send ${n.content}
  wait 1 day
  send next from ${n.stream}
}

test "names are data" {
  lead ${JSON.stringify(n.lead)} { ${n.attr}: 5, ${n.consent}: true, ${n.tier}: ${n.member} }
  at 2026-01-05 09:00
  ${n.event} { ${n.field}: "go" }
  expect received ${n.content}
  expect stage is ${n.stage2} and handed off to ${JSON.stringify(n.handoff)}
  expect ${n.score} >= 10 and ${n.segment}
  after 1 day
  expect received ${n.content2}
}
`;
}

/** The `r`th rotation of the hostile names over the roles: across the rotations 0 … ROLES.length - 1, every hostile name takes every role once. */
export function rotation(r: number): Names {
  const n = { lead: HOSTILE_NAMES[r % HOSTILE_NAMES.length]!, handoff: HOSTILE_NAMES[(r + 1) % HOSTILE_NAMES.length]! } as Names;
  ROLES.forEach((role, i) => {
    const h = (i - r + ROLES.length) % ROLES.length;
    n[role] = h < HOSTILE_NAMES.length ? HOSTILE_NAMES[h]! : ORDINARY[i]!;
  });
  return n;
}
