// Plan strings in V8's string table. Values compared for every event (`job_level is "director"`, an
// enum member, an event type) are then compared by pointer: a plan string built by the compiler (a
// slice or a concatenation of the source) is otherwise compared character by character — up to 40 ns
// per comparison for a concatenated one, measured. A property key is always internalised.

/** The internalised copy of `s` (the same characters). */
export function internalize(s: string): string {
  return Object.keys({ [s]: 0 })[0]!;
}
