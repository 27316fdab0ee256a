// Objects keyed by a user's name (plan maps, event data, test profiles, measures). Names are data, so
// `__proto__`, `constructor`, `toString` … must be ordinary keys: a write defines an own property (a
// plain `o[k] = v` with k = "__proto__" sets the prototype instead and the name is lost), and a read sees
// own properties only (a plain `o[k]` finds `Object.prototype.constructor` for a name never declared).

/** `o[key] = value`, as an own enumerable property for every key. */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `o[key]` when `key` is an own property of `o`, else `undefined`. */
export function getOwn<T>(o: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}
