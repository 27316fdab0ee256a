import { describe, expect, it } from 'vitest';
import { formatFlagHelp, parseArgs, type ArgSpec } from '../../cli/args.js';
import { CliError } from '../../cli/context.js';
import { closest, editDistance } from '../../cli/suggest.js';

const spec: ArgSpec = {
  command: 'check',
  flags: [
    { name: 'format', kind: 'string', choices: ['text', 'json', 'sarif', 'github'], placeholder: 'FORMAT', description: 'f' },
    { name: 'max-warnings', kind: 'integer', min: 0, placeholder: 'N', description: 'm' },
    { name: 'output', short: 'o', kind: 'string', placeholder: 'FILE', description: 'o' },
    { name: 'check', kind: 'boolean', conflicts: ['write'], description: 'c' },
    { name: 'write', kind: 'boolean', description: 'w' },
  ],
};

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return (e as CliError).message;
  }
  throw new Error('expected a usage error for ' + argv.join(' '));
}

describe('parseArgs', () => {
  it('reads values given as `--flag value` and `--flag=value`, booleans and positionals', () => {
    const a = parseArgs(['a', '--format', 'json', 'b', '--max-warnings=3', '--check', '-o', 'plan.json'], spec);
    expect(a.positionals).toEqual(['a', 'b']);
    expect(a.string('format')).toBe('json');
    expect(a.integer('max-warnings')).toBe(3);
    expect(a.boolean('check')).toBe(true);
    expect(a.boolean('write')).toBe(false);
    expect(a.string('output')).toBe('plan.json');
    expect(parseArgs(['--format=sarif'], spec).string('format')).toBe('sarif');
    expect(parseArgs(['-o=x.json'], spec).string('output')).toBe('x.json');
  });

  it('takes everything after `--` as positionals', () => {
    const a = parseArgs(['x', '--', '--format', '-h'], spec);
    expect(a.positionals).toEqual(['x', '--format', '-h']);
    expect(a.help).toBe(false);
    expect(a.has('format')).toBe(false);
  });

  it('lets the last occurrence of a flag win, except for a flag given at most once', () => {
    expect(parseArgs(['--format', 'json', '--format', 'text'], spec).string('format')).toBe('text');
    const once: ArgSpec = { command: 'simulate', flags: [{ name: 'report', kind: 'string', once: true, description: 'r' }] };
    expect(() => parseArgs(['--report', 'a.json', '--report=b.html'], once)).toThrow(
      new CliError('flag `--report` is given more than once (`a.json`, then `b.html`): give it once'),
    );
  });

  it('keeps every value of a `many` flag, in order', () => {
    const many: ArgSpec = { command: 'diff', flags: [{ name: 'fail-if', kind: 'string', many: true, description: 'f' }] };
    const a = parseArgs(['--fail-if', 'mqls < -5%', 'x', '--fail-if=sends > +10'], many);
    expect(a.list('fail-if')).toEqual(['mqls < -5%', 'sends > +10']);
    expect(a.positionals).toEqual(['x']);
    expect(parseArgs([], many).list('fail-if')).toEqual([]);
  });

  it('reports help without validating the rest', () => {
    expect(parseArgs(['--bogus', '--help'], spec).help).toBe(true);
    expect(parseArgs(['-h'], spec).help).toBe(true);
  });

  it('rejects unknown flags with a did-you-mean', () => {
    expect(usageError(['--formt', 'json'])).toBe('unknown flag `--formt` for `check` (did you mean `--format`?)');
    expect(usageError(['--max-warning=2'])).toBe('unknown flag `--max-warning` for `check` (did you mean `--max-warnings`?)');
    expect(usageError(['--zzzzzzzz'])).toBe('unknown flag `--zzzzzzzz` for `check` (run `nurture check --help` to see its flags)');
    expect(usageError(['-x'])).toMatch(/^unknown flag `-x` for `check`/);
  });

  it('rejects a missing value', () => {
    expect(usageError(['--format'])).toBe('flag `--format` needs a value (allowed: text, json, sarif, github)');
    expect(usageError(['--format', '--max-warnings', '2'])).toMatch(/^flag `--format` needs a value/);
    expect(usageError(['--max-warnings'])).toBe('flag `--max-warnings` needs a value (allowed: a whole number, 0 or more)');
    expect(usageError(['--format='])).toMatch(/^flag `--format` needs a value/);
  });

  it('rejects bad values, listing the allowed ones', () => {
    expect(usageError(['--format', 'xml'])).toBe('invalid value `xml` for `--format` (allowed: text, json, sarif, github)');
    expect(usageError(['--max-warnings', '-3'])).toBe('invalid value `-3` for `--max-warnings` (allowed: a whole number, 0 or more)');
    expect(usageError(['--max-warnings=1.5'])).toMatch(/^invalid value `1.5`/);
    expect(usageError(['--max-warnings', 'ten'])).toMatch(/^invalid value `ten`/);
    expect(parseArgs(['--max-warnings', '0'], spec).integer('max-warnings')).toBe(0);
  });

  it('rejects a value given to a boolean flag, and conflicting flags', () => {
    expect(usageError(['--check=yes'])).toBe('flag `--check` does not take a value');
    expect(usageError(['--check', '--write'])).toBe('flags `--check` and `--write` cannot be used together');
  });

  it('formats aligned option help', () => {
    const lines = formatFlagHelp(spec.flags);
    expect(lines.some((l) => l.includes('-o, --output FILE'))).toBe(true);
    expect(lines.at(-1)).toMatch(/-h, --help\s+show this help/);
    const descriptions = [...spec.flags.map((f) => f.description), 'show this help'];
    const columns = new Set(lines.map((l, i) => l.lastIndexOf(' ' + descriptions[i]!)));
    expect(columns.size).toBe(1); // every description starts in the same column
  });
});

describe('suggestions', () => {
  it('computes edit distances with transpositions', () => {
    expect(editDistance('check', 'chekc')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('format', 'formt')).toBe(1);
  });
  it('suggests only plausible typos', () => {
    expect(closest('chek', ['check', 'compile'])).toBe('check');
    expect(closest('comp', ['check', 'compile'])).toBe('compile');
    expect(closest('banana', ['check', 'compile'])).toBeUndefined();
  });
});
