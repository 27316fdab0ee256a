// docs/delivery.md's verification function, run: it accepts what the server signs and refuses a changed
// body, another secret, an old timestamp — so the example a receiver copies stays true.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/delivery/index.js';
import { REPO } from '../cli/helpers.js';
import { fencedBlocks } from '../docs/markdown.js';

const dir = mkdtempSync(join(tmpdir(), 'nurture-delivery-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/delivery.md', () => {
  it('the Node verification example accepts signed requests and refuses tampered or old ones', async () => {
    const doc = readFileSync(join(REPO, 'docs/delivery.md'), 'utf8');
    const blocks = fencedBlocks(doc).filter((b) => b.section === 'Verifying the signature' && b.lang === 'js');
    expect(blocks).toHaveLength(1);
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, blocks[0]!.lines.join('\n'));
    const { verifyNurtureSignature: verify } = (await import(pathToFileURL(file).href)) as {
      verifyNurtureSignature: (secret: string, body: string, header: string | undefined, toleranceS?: number) => boolean;
    };
    const body = '{"actions":[{"id":"b40cb526c0e3e3c8","at":"2026-01-05T09:12:00.000Z","lead":"L5","type":"send"}]}';
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader('s3cret', body, now);
    expect(verify('s3cret', body, header)).toBe(true);
    expect(verify('s3cret', body.replace('L5', 'L6'), header)).toBe(false);
    expect(verify('other', body, header)).toBe(false);
    expect(verify('s3cret', body, signatureHeader('s3cret', body, now - 301))).toBe(false);
    expect(verify('s3cret', body, signatureHeader('s3cret', body, now - 200))).toBe(true);
    expect(verify('s3cret', body, `t=${now},v1=00`)).toBe(false);
    expect(verify('s3cret', body, header.replace(/^t=\d+/, `t=${now + 1}`))).toBe(false);
    expect(verify('s3cret', body, `${header},v1=abcd`)).toBe(true); // several v1 (a secret being rotated): one must match
    expect(verify('s3cret', body, undefined)).toBe(false);
    expect(verify('s3cret', body, 'garbage')).toBe(false);
  });
});
