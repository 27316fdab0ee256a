// A binary min-heap of (due time, lead id), ordered by time then lead id (deterministic ties).
// Entries may be stale (the lead's timer moved); the runtime checks them against the store.

export class TimerHeap {
  private due: number[] = [];
  private lead: string[] = [];

  get size(): number {
    return this.due.length;
  }

  push(due: number, lead: string): void {
    const d = this.due;
    const l = this.lead;
    let i = d.length;
    d.push(due);
    l.push(lead);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(due, lead, d[p]!, l[p]!)) break;
      d[i] = d[p]!;
      l[i] = l[p]!;
      i = p;
    }
    d[i] = due;
    l[i] = lead;
  }

  peekLead(): string | undefined {
    return this.lead[0];
  }

  peekDue(): number {
    return this.due.length > 0 ? this.due[0]! : Infinity;
  }

  /** Removes the top entry (read it first with `peekDue` and `peekLead`: no pair allocated per timer). */
  pop(): void {
    const d = this.due;
    const l = this.lead;
    if (d.length === 0) return;
    const lastD = d.pop()!;
    const lastL = l.pop()!;
    const n = d.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const a = 2 * i + 1;
        if (a >= n) break;
        const b = a + 1;
        const c = b < n && less(d[b]!, l[b]!, d[a]!, l[a]!) ? b : a;
        if (!less(d[c]!, l[c]!, lastD, lastL)) break;
        d[i] = d[c]!;
        l[i] = l[c]!;
        i = c;
      }
      d[i] = lastD;
      l[i] = lastL;
    }
  }
}

function less(d1: number, l1: string, d2: number, l2: string): boolean {
  return d1 < d2 || (d1 === d2 && l1 < l2);
}
