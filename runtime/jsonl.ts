// JSON Lines input (events for `nurture simulate`): one JSON value per line, with 1-based line numbers
// so that every problem can be reported as `events.jsonl:LINE: reason`. Blank lines (and lines of
// whitespace only) are skipped; `\r\n` line ends and a leading byte order mark are accepted.
// Nothing here throws on bad input: a line that is not JSON becomes an error entry.

/** A line's parsed value (and its text, without the line end), or why it is not JSON. */
export type JsonlEntry = { line: number; value: unknown; error: null; text: string } | { line: number; value: undefined; error: string };

/**
 * Iterates the lines of a JSON Lines text, parsing each non-blank one. `firstLine`: the number of the
 * text's first line, when the text is a part of a file (jsonl-file.ts); a byte order mark is only
 * accepted at the start of the file.
 */
export function* jsonlEntries(text: string, firstLine = 1): Generator<JsonlEntry> {
  let start = firstLine === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine - 1;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    line++;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    if (!isBlank(text, start, stop)) {
      const raw = text.slice(start, stop);
      let value: unknown;
      let error: string | null = null;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        error = `invalid JSON: ${jsonErrorText(e)}`;
      }
      yield error === null ? { line, value, error: null, text: raw } : { line, value: undefined, error };
    }
    if (end === n) break;
    start = end + 1;
  }
}

function isBlank(text: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/** A short explanation of a JSON.parse error, with the column when Node gives a position. */
function jsonErrorText(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  const m = /at position (\d+)/.exec(msg);
  let text = msg.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
  if (text.length === 0) text = 'not valid JSON';
  if (text.length > 120) text = text.slice(0, 120) + '…';
  return m ? `column ${Number(m[1]) + 1}: ${text}` : text;
}
