// The text renderer on synthetic diagnostics (independent of the parser and checker).
import { describe, expect, it } from 'vitest';
import type { Span } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { caretRange, layoutLine, renderDiagnosticsText, renderSummary } from '../../cli/render-text.js';

/** A span on one line from a 1-based column and a length (offsets are not used by the renderer). */
function span(line: number, column: number, length: number): Span {
  return { start: 0, end: length, line, column, endLine: line, endColumn: column + length };
}

function diag(over: Partial<Diagnostic> & { span: Span }): Diagnostic {
  return { code: 'NUR100', severity: 'error', file: 'journeys/welcome.nurture', message: 'unknown content `welcom_email`', ...over };
}

const WELCOME = [
  '# welcome journey',
  ...Array.from({ length: 9 }, (_, i) => `# line ${i + 2}`),
  'journey welcome {',
  '  send welcom_email',
  '}',
].join('\n');

const lookup = (files: Record<string, string>) => (f: string) => files[f];

describe('render-text', () => {
  it('renders the rustc/Elm layout with the carets under the span', () => {
    const d = diag({ span: span(12, 8, 12), help: 'did you mean `welcome_email`?' });
    const out = renderDiagnosticsText([d], lookup({ 'journeys/welcome.nurture': WELCOME }), { color: false });
    expect(out).toBe(
      [
        'error[NUR100]: unknown content `welcom_email`',
        '  --> journeys/welcome.nurture:12:8',
        '   |',
        '12 |   send welcom_email',
        '   |        ^^^^^^^^^^^^',
        '   |',
        '   = help: did you mean `welcome_email`?',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows a short label after the carets when the diagnostic has one', () => {
    const d = { ...diag({ span: span(12, 8, 12) }), label: 'not declared anywhere in the workspace' };
    const out = renderDiagnosticsText([d], lookup({ 'journeys/welcome.nurture': WELCOME }), { color: false });
    expect(out).toContain('   |        ^^^^^^^^^^^^ not declared anywhere in the workspace\n');
  });

  it('renders warnings and related notes with their own location and source line', () => {
    const a = 'content hello { channel: email }\n';
    const b = '\n\ncontent hello { channel: sms }\n';
    const d: Diagnostic = {
      code: 'NUR101',
      severity: 'warning',
      file: 'b.nurture',
      span: span(3, 9, 5),
      message: 'content `hello` is declared twice',
      related: [{ file: 'a.nurture', span: span(1, 9, 5), message: 'first declared here' }],
    };
    const out = renderDiagnosticsText([d], lookup({ 'a.nurture': a, 'b.nurture': b }), { color: false });
    expect(out).toBe(
      [
        'warning[NUR101]: content `hello` is declared twice',
        ' --> b.nurture:3:9',
        '  |',
        '3 | content hello { channel: sms }',
        '  |         ^^^^^',
        'note: first declared here',
        ' --> a.nurture:1:9',
        '  |',
        '1 | content hello { channel: email }',
        '  |         ^^^^^',
        '',
        '',
      ].join('\n'),
    );
  });

  it('uses one gutter width for the main and the related lines', () => {
    const text = Array.from({ length: 120 }, (_, i) => `line${i + 1}`).join('\n');
    const d: Diagnostic = {
      ...diag({ file: 'x.nurture', span: span(5, 1, 5) }),
      related: [{ file: 'x.nurture', span: span(110, 1, 7), message: 'here' }],
    };
    const out = renderDiagnosticsText([d], lookup({ 'x.nurture': text }), { color: false });
    expect(out).toContain('\n  5 | line5\n    | ^^^^^\n');
    expect(out).toContain('\n110 | line110\n    | ^^^^^^^\n');
    expect(out).toContain('\n   --> x.nurture:5:1\n');
  });

  it('aligns carets after tabs (tab stops of 4)', () => {
    const line = '\tsend\tx_y';
    // columns: tab=1, s=2..5 (send), tab=6, x=7
    const d = diag({ file: 't.nurture', span: span(1, 7, 3) });
    const out = renderDiagnosticsText([d], lookup({ 't.nurture': line }), { color: false });
    const lines = out.split('\n');
    const src = lines[3]!;
    const carets = lines[4]!;
    expect(src).toBe('1 |     send    x_y');
    expect(carets.indexOf('^')).toBe(src.indexOf('x_y'));
    expect(carets.trimEnd().endsWith('^^^')).toBe(true);
    expect(carets.match(/\^/g)!.length).toBe(3);
  });

  it('counts wide characters as two cells and astral characters as two UTF-16 units', () => {
    const line = 'set nom = "日本" 😀 @';
    const at = line.indexOf('@'); // UTF-16 index
    const r = caretRange(line, span(1, at + 1, 1));
    const { shown } = layoutLine(line);
    // 2 wide CJK (2 cells each, 1 unit each), 1 emoji (2 cells, 2 units)
    expect(r.start).toBe(at + 2);
    expect(shown).toBe(line);
  });

  it('runs carets to the end of the first line for a span over several lines', () => {
    const text = 'journey j {\n  send x\n}';
    const d = diag({ file: 'm.nurture', span: { start: 0, end: 20, line: 1, column: 9, endLine: 3, endColumn: 2 } });
    const out = renderDiagnosticsText([d], lookup({ 'm.nurture': text }), { color: false });
    expect(out).toContain('1 | journey j {\n  |         ^^^\n');
  });

  it('draws at least one caret for an empty span, also past the end of the line or file', () => {
    const text = 'journey j {\n  send';
    const eol = renderDiagnosticsText([diag({ file: 'e.nurture', span: span(2, 7, 0) })], lookup({ 'e.nurture': text }), {
      color: false,
    });
    expect(eol).toContain('2 |   send\n  |       ^\n');
    const eof = renderDiagnosticsText([diag({ file: 'e.nurture', span: span(3, 1, 0) })], lookup({ 'e.nurture': text }), {
      color: false,
    });
    expect(eof).toContain('3 |\n  | ^\n');
  });

  it('handles CRLF line ends and never prints control characters', () => {
    const text = 'a\r\nsend \u0007x\r\n';
    const out = renderDiagnosticsText([diag({ file: 'c.nurture', span: span(2, 7, 1) })], lookup({ 'c.nurture': text }), {
      color: false,
    });
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('2 | send \uFFFDx\n  |       ^\n');
  });

  it('prints only the location when the source is unknown', () => {
    const out = renderDiagnosticsText([diag({ file: 'gone.nurture', span: span(4, 2, 3), help: 'h' })], () => undefined, {
      color: false,
    });
    expect(out).toBe('error[NUR100]: unknown content `welcom_email`\n --> gone.nurture:4:2\n  = help: h\n\n');
  });

  it('colours only when asked', () => {
    const d = diag({ span: span(12, 8, 12), help: 'x' });
    const plain = renderDiagnosticsText([d], lookup({ 'journeys/welcome.nurture': WELCOME }), { color: false });
    const coloured = renderDiagnosticsText([d], lookup({ 'journeys/welcome.nurture': WELCOME }), { color: true });
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[31m'); // red for errors
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  it('summarises', () => {
    expect(renderSummary({ errors: 0, warnings: 0, files: 3 }, { color: false })).toBe('checked 3 files: no problems\n');
    expect(renderSummary({ errors: 2, warnings: 1, files: 3 }, { color: false })).toBe('checked 3 files: 2 errors, 1 warning\n');
    expect(renderSummary({ errors: 1, warnings: 0, files: 1 }, { color: false })).toBe('checked 1 file: 1 error\n');
    expect(renderSummary({ errors: 0, warnings: 4, files: 2 }, { color: false })).toBe('checked 2 files: 4 warnings\n');
  });
});

describe('very long lines', () => {
  it('shows a window of the line around the span, with the caret still under it', async () => {
    const { windowAround, caretRange } = await import('../../cli/render-text.js');
    const line = 'x '.repeat(5000) + 'oops' + ' y'.repeat(5000);
    const column = 10001;
    const span = { start: column - 1, end: column + 3, line: 1, column, endLine: 1, endColumn: column + 4 };
    const w = windowAround(line, span);
    expect(w.text.length).toBeLessThanOrEqual(160);
    expect(w.text.startsWith('…') && w.text.endsWith('…')).toBe(true);
    const { start, width, shown } = caretRange(w.text, w.span);
    expect(shown.slice(start, start + width)).toBe('oops');
  });
});
