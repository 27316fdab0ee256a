// Markdown for the docs tests: fenced blocks, and the comparison of a transcript shown in the docs with
// what a command printed — exact, line by line, except that a line `…` (indented or not) stands for any
// number of lines and a line ending in ` …` for any line that starts with what precedes it.

export interface Block { lang: string; lines: string[]; line: number; section: string }

/** The fenced blocks of a Markdown text, with the `##` section each is in. */
export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('## ')) section = lines[i]!.slice(3);
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '```') body.push(lines[i]!);
    blocks.push({ lang: open[1]!, lines: body, line: start + 1, section });
  }
  return blocks;
}

/** Whether `actual` is `expected` with its `…` lines and ` …` line ends filled in. */
export function matchesShown(expected: readonly string[], actual: readonly string[]): boolean {
  const memo = new Map<string, boolean>();
  const go = (e: number, a: number): boolean => {
    const key = `${e},${a}`;
    if (memo.has(key)) return memo.get(key)!;
    let ok: boolean;
    if (e === expected.length) ok = a === actual.length;
    else if (expected[e]!.trim() === '…') ok = go(e + 1, a) || (a < actual.length && go(e, a + 1));
    else if (a === actual.length) ok = false;
    else {
      const line = expected[e]!;
      const same = line.endsWith(' …') ? actual[a]!.startsWith(line.slice(0, -1)) : actual[a] === line;
      ok = same && go(e + 1, a + 1);
    }
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}


/** README.md's quick-start transcript of `npm run demo` (compared in tests/examples/demo.test.ts, which runs the demo). */
export function isDemoBlock(b: Block): boolean {
  return b.section === 'Quick start' && b.lang === 'console';
}
