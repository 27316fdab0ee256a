// The webhook's signature, in the manner of Stripe's: `Nurture-Signature: t=<unix seconds>,v1=<hex>`,
// where v1 is HMAC-SHA256(secret, `${t}.${body}`). The timestamp is signed with the body, so a receiver
// that refuses old timestamps refuses replays of a captured request (docs/delivery.md).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'nurture-signature';

/** Seconds a receiver accepts between the signature's timestamp and its own clock, by default. */
export const DEFAULT_TOLERANCE_S = 300;

const hmac = (secret: string, t: number, body: string): string => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

/** The header's value for `body` signed at `t` (unix seconds). */
export function signatureHeader(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type Verdict = { ok: true; t: number } | { ok: false; reason: string };

/**
 * What a receiver does (exported for tests and as the reference of docs/delivery.md): the header
 * parses, one of its `v1` signatures matches the raw body (constant-time), and its timestamp is within
 * `toleranceS` of `nowS`.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  { toleranceS = DEFAULT_TOLERANCE_S, nowS = Math.floor(Date.now() / 1000) } = {},
): Verdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const given = parts.filter(([k, v]) => k === 'v1' && v !== undefined).map(([, v]) => Buffer.from(v!, 'hex'));
  if (!Number.isInteger(t) || given.length === 0) return { ok: false, reason: 'malformed signature header' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  if (!given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) return { ok: false, reason: 'signature mismatch' };
  if (Math.abs(nowS - t) > toleranceS) return { ok: false, reason: `timestamp ${t} is ${nowS - t} s from now (tolerance ${toleranceS} s)` };
  return { ok: true, t };
}
