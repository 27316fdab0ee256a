// `nurture fmt` through the real executable: print, --check, --write, and files with syntax errors.
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from './helpers.js';

const UGLY = 'event   signed_up\ncontent hello {channel:email,transactional:true}\nchannel email\n';
const PRETTY = 'event signed_up\ncontent hello { channel: email, transactional: true }\nchannel email\n';

afterAll(cleanWorkspaces);

describe('nurture fmt', () => {
  it('prints the formatted text without a flag', async () => {
    const ws = makeWorkspace({ 'a.nurture': UGLY });
    const r = await runCli(['fmt', join(ws, 'a.nurture')]);
    expect(r).toMatchObject({ status: 0, stdout: PRETTY });
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe(UGLY);
  });

  it('--check lists the files that would change and exits 1', async () => {
    const ws = makeWorkspace({ 'a.nurture': UGLY, 'b.nurture': PRETTY });
    const r = await runCli(['fmt', '--check', '.'], { cwd: ws });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('would reformat ./a.nurture\n1 file would be reformatted, 1 already formatted\n');
    const ok = await runCli(['fmt', '--check', 'b.nurture'], { cwd: ws });
    expect(ok.status).toBe(0);
  });

  it('--write rewrites only what changes', async () => {
    const ws = makeWorkspace({ 'a.nurture': UGLY, 'b.nurture': PRETTY });
    const r = await runCli(['fmt', '--write', '.'], { cwd: ws });
    expect(r).toMatchObject({ status: 0, stdout: 'formatted ./a.nurture\n1 file reformatted, 1 already formatted\n' });
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe(PRETTY);
  });

  it('leaves a file with syntax errors untouched and says why', async () => {
    const broken = 'journey j {\n  send\n';
    const ws = makeWorkspace({ 'bad.nurture': broken, 'a.nurture': UGLY });
    const r = await runCli(['fmt', '--write', '.'], { cwd: ws });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('./bad.nurture:2:7: NUR001');
    expect(r.stderr).toContain('bad.nurture: not formatted');
    expect(readFileSync(join(ws, 'bad.nurture'), 'utf8')).toBe(broken);
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe(PRETTY);
  });

  it('refuses --check with --write, and no PATH', async () => {
    expect((await runCli(['fmt', '--check', '--write', '.'])).status).toBe(2);
    const none = await runCli(['fmt']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('needs at least one PATH');
  });

  it('keeps the bundled examples formatted', async () => {
    const r = await runCli(['fmt', '--check', 'examples']);
    expect(r.stdout).not.toContain('would reformat');
    expect(r.status).toBe(0);
  });
});

describe('nurture fmt --write and the file system (issue 20)', () => {
  it('writes through a symbolic link to its target, which stays a link', async () => {
    const ws = makeWorkspace({ 'real.nurture': UGLY });
    symlinkSync('real.nurture', join(ws, 'link.nurture'));
    const r = await runCli(['fmt', '--write', 'link.nurture'], { cwd: ws });
    expect(r.status).toBe(0);
    expect(lstatSync(join(ws, 'link.nurture')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(ws, 'real.nurture'), 'utf8')).toBe(PRETTY);
  });

  it('keeps the file mode (0600 stays 0600)', async () => {
    const ws = makeWorkspace({ 'a.nurture': UGLY });
    chmodSync(join(ws, 'a.nurture'), 0o600);
    expect((await runCli(['fmt', '--write', 'a.nurture'], { cwd: ws })).status).toBe(0);
    expect(statSync(join(ws, 'a.nurture')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe(PRETTY);
  });

  it('refuses a read-only file (exit 2), leaves it and says so; no temporary file is left', async () => {
    const ws = makeWorkspace({ 'a.nurture': UGLY });
    chmodSync(join(ws, 'a.nurture'), 0o444);
    const r = await runCli(['fmt', '--write', 'a.nurture'], { cwd: ws });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: cannot write `a.nurture`: the file is read-only, so it is left as it is (make it writable, or run `nurture fmt a.nurture` to see the formatted text)\n');
    expect(readFileSync(join(ws, 'a.nurture'), 'utf8')).toBe(UGLY);
    expect(readdirSync(ws)).toEqual(['a.nurture']);
  });
});
