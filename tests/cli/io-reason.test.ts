// The one-line reasons of I/O errors (cli/files.ts): words for the usual system codes, the code itself for
// the others, and Node's own sentence for its ERR_ codes (not a mangled code).
import { describe, expect, it } from 'vitest';
import { ioReason } from '../../cli/files.js';

const err = (code: string, message = 'm') => Object.assign(new Error(message), { code });

describe('ioReason', () => {
  it('names the usual system errors in words, and the others by their code', () => {
    expect(ioReason(err('ENOENT'))).toBe('no such file or folder');
    expect(ioReason(err('EISDIR'))).toBe('it is a folder');
    expect(ioReason(err('ENOSPC'))).toBe('error nospc');
  });

  it("gives Node's sentence for its own error codes", () => {
    const e = err('ERR_STRING_TOO_LONG', 'Cannot create a string longer than 0x1fffffe8 characters');
    expect(ioReason(e)).toBe('Cannot create a string longer than 0x1fffffe8 characters');
  });

  it('anything thrown gets a text', () => {
    expect(ioReason('boom')).toBe('boom');
    expect(ioReason(undefined)).toBe('undefined');
  });
});
