// KNOWN_OPEN_FAULTS: the classes of input that the fuzz harnesses must not generate while their fixes
// are in flight on other branches (issue 20). Each entry says what it avoids and why; a harness skips a
// generated case for which `knownFault` names an entry (and counts the skips). When a fix is merged, the
// coordinator deletes its entry, and the harnesses start generating that class again: the list is meant
// to end empty.

export interface KnownFault {
  /** Where it is tracked. */
  issue: string;
  what: string;
  /** True when the input (source text or events file) falls in this class. */
  matches(text: string): boolean;
}

// Empty: every class that issue 20 listed is fixed (and generated again by the harnesses).
export const KNOWN_OPEN_FAULTS: readonly KnownFault[] = [];

/** The first known open fault this input falls in, if any. */
export function knownFault(text: string): KnownFault | undefined {
  return KNOWN_OPEN_FAULTS.find((f) => f.matches(text));
}
