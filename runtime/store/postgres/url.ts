// Which store a name means: a `postgres://` (or `postgresql://`) URL is a PostgreSQL store, anything
// else a SQLite file. The URL is shown in messages without its password.

export function isPostgresUrl(name: string): boolean {
  return /^postgres(ql)?:\/\//i.test(name);
}

/** The URL as it may be printed: the password replaced by `***`. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');
  }
}

/** Checks the URL's shape before any connection: a clear message rather than the driver's. */
export function checkUrl(url: string): string | null {
  if (!isPostgresUrl(url)) return `\`${url}\` is not a postgres:// URL`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `\`${shownUrl(url)}\` is not a valid URL (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)`;
  }
  if (u.port !== '' && !(Number(u.port) > 0 && Number(u.port) < 65536)) return `\`${shownUrl(url)}\`: invalid port ${u.port}`;
  if (u.pathname.length <= 1) return `\`${shownUrl(url)}\` names no database (expected postgres://USER@HOST[:PORT]/DATABASE)`;
  return null;
}
