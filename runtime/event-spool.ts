// The valid event lines of a `simulate` input, kept until they can be applied in time order. Events are
// applied sorted by `at` (stable), so a run must see every line before applying the first one; holding them
// as parsed objects costs ~300 bytes each of the JS heap, whose limit (~4 GB by default) a year of events
// reaches. The spool keeps each line's UTF-8 bytes in large buffers outside that heap and its time in a typed
// array (the line's length + 24 bytes per event, of ordinary memory); a line is parsed again when it is
// applied.

/** Bytes per buffer: a line never spans two (a longer line gets a buffer of its own). */
const BLOCK = 1 << 26;

/** A growing list of numbers in a typed array. */
class Numbers<A extends Float64Array | Uint32Array> {
  n = 0;
  constructor(
    public a: A,
    private make: (n: number) => A,
  ) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

const doubles = () => new Numbers(new Float64Array(1024), (n) => new Float64Array(n));
const counts = () => new Numbers(new Uint32Array(1024), (n) => new Uint32Array(n));

export class EventSpool {
  constructor(private blockBytes = BLOCK) {}
  private blocks: Buffer[] = [];
  private used = 0; // bytes used in the last block
  private block = counts(); // per line: its buffer
  private start = counts(); // per line: where it starts there
  private length = counts(); // per line: its byte length
  private times = doubles(); // per line: the event's `at` (epoch ms)
  private lines = counts(); // per line: its number in the input (for messages)
  private sorted = true;

  /** Keeps the text of input line `line`, a valid event at `at`. */
  add(text: string, at: number, line: number): void {
    const bytes = Buffer.byteLength(text);
    let last = this.blocks[this.blocks.length - 1];
    if (last === undefined || this.used + bytes > last.length) {
      last = Buffer.allocUnsafe(Math.max(this.blockBytes, bytes));
      this.blocks.push(last);
      this.used = 0;
    }
    last.write(text, this.used, 'utf8');
    this.block.push(this.blocks.length - 1);
    this.start.push(this.used);
    this.length.push(bytes);
    this.used += bytes;
    const n = this.times.n;
    if (n > 0 && at < this.times.a[n - 1]!) this.sorted = false;
    this.times.push(at);
    this.lines.push(line);
  }

  /** The lines' indexes in the order of their times; equal times in input order (a stable sort). */
  order(): Uint32Array {
    const n = this.times.n;
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (!this.sorted) {
      const t = this.times.a;
      idx.sort((a, b) => t[a]! - t[b]! || a - b);
    }
    return idx;
  }

  /** The text of line `i` (an index of `add` order). */
  text(i: number): string {
    const start = this.start.a[i]!;
    return this.blocks[this.block.a[i]!]!.toString('utf8', start, start + this.length.a[i]!);
  }

  at(i: number): number {
    return this.times.a[i]!;
  }

  /** The input line number of line `i`. */
  line(i: number): number {
    return this.lines.a[i]!;
  }
}
