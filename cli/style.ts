// ANSI styling, switched off entirely when colour is not wanted.
export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
}

const wrap = (open: string, close: string) => (s: string) => (s === '' ? s : `\x1b[${open}m${s}\x1b[${close}m`);

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    const id = (s: string) => s;
    return { enabled, bold: id, red: id, yellow: id, blue: id, green: id, cyan: id, dim: id };
  }
  return {
    enabled,
    bold: wrap('1', '22'),
    red: wrap('31', '39'),
    yellow: wrap('33', '39'),
    blue: wrap('34', '39'),
    green: wrap('32', '39'),
    cyan: wrap('36', '39'),
    dim: wrap('2', '22'),
  };
}
