// Encodings and line endings (issue 20): a file that is not UTF-8, or has a carriage return without a line
// feed, is reported (NUR004, at the first bad byte) by every command and never compiled or rewritten;
// CRLF and a byte order mark work.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSource } from '../../grammar/encoding.js';
import { cleanWorkspaces, makeWorkspace, runCli } from './helpers.js';

afterAll(cleanWorkspaces);

const LATIN1 = Buffer.from('channel email\ncontent caf\xe9 { channel: email, subject: "Caf\xe9", transactional: true }\n', 'latin1');
const LONE_CR = Buffer.from('# old Mac\rchannel email\rcontent hello { channel: email, transactional: true }\r');
const CRLF_BOM = Buffer.from('\ufeffchannel email\r\n# a comment\r\ncontent hello { channel: email, subject: "Café", transactional: true }\r\n');

describe('source encodings and line endings', () => {
  it('check reports a Latin-1 file at its first bad byte, with a hint to save as UTF-8', async () => {
    const ws = makeWorkspace({ 'a.nurture': LATIN1 });
    const r = await runCli(['check', '--format', 'json', 'a.nurture'], { cwd: ws });
    expect(r.status).toBe(1);
    const [d] = JSON.parse(r.stdout).diagnostics;
    expect(d).toMatchObject({ code: 'NUR004', file: 'a.nurture', line: 2, column: 12 });
    expect(d.message).toContain('byte 0xE9');
    expect(d.help).toContain('save the file as UTF-8');
  });

  it('compile writes no plan and fmt --write leaves the bytes as they are', async () => {
    for (const bytes of [LATIN1, LONE_CR]) {
      const ws = makeWorkspace({ 'a.nurture': bytes });
      expect((await runCli(['compile', 'a.nurture', '-o', 'plan.json'], { cwd: ws })).status).toBe(1);
      expect(existsSync(join(ws, 'plan.json'))).toBe(false);
      const f = await runCli(['fmt', '--write', 'a.nurture'], { cwd: ws });
      expect(f.status).toBe(1);
      expect(f.stderr).toContain('NUR004');
      expect(readFileSync(join(ws, 'a.nurture')).equals(bytes)).toBe(true);
    }
  });

  it('a lone CR is reported where it is, not read as the end of a comment', async () => {
    const ws = makeWorkspace({ 'a.nurture': LONE_CR });
    const r = await runCli(['check', '--format', 'json', 'a.nurture'], { cwd: ws });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics).toMatchObject([{ code: 'NUR004', line: 1, column: 10 }]);
  });

  it('CRLF line endings and a byte order mark check, compile and format', async () => {
    const ws = makeWorkspace({ 'a.nurture': CRLF_BOM });
    expect((await runCli(['check', 'a.nurture'], { cwd: ws })).stdout).toContain('checked 1 file: 1 warning'); // NUR307 only: unused content
    expect((await runCli(['compile', 'a.nurture', '-o', 'plan.json'], { cwd: ws })).status).toBe(0);
    expect(readFileSync(join(ws, 'plan.json'), 'utf8')).toContain('"subject": "Café"');
    expect((await runCli(['fmt', '--write', 'a.nurture'], { cwd: ws })).status).toBe(0);
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe('channel email\n# a comment\ncontent hello { channel: email, subject: "Café", transactional: true }\n');
  });

  it('decodeSource keeps valid UTF-8 (U+FFFD included) and escapes only the bad bytes', () => {
    expect(decodeSource(Buffer.from('é \ufffd 😀'))).toBe('é \ufffd 😀');
    expect(decodeSource(Buffer.from([0x61, 0xe9, 0x62, 0xc3]))).toBe('a\udce9b\udcc3');
    expect(decodeSource(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\udced\udca0\udc80'); // an encoded surrogate is not UTF-8
  });
});
