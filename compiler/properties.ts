// `key: value` lists (content, channel, test profiles, event occurrences): duplicate keys.
import type { Property } from '../grammar/ast.js';
import type { Context } from './context.js';
import { firstDeclaredHere } from './reporter.js';

/**
 * Reports every key given twice (NUR101 on the repeat, pointing at the first: "… is given twice in
 * `where` `name`") and returns the
 * properties with a key, first occurrences only, in order. (Property lists are short: a linear
 * scan beats a Map, and the input array itself is returned when nothing is dropped.)
 */
export function uniqueProperties(ctx: Context, props: readonly Property[], where: string, name = ''): readonly Property[] {
  let out: Property[] | undefined;
  for (let i = 0; i < props.length; i++) {
    const key = props[i].key.text;
    let first: Property | undefined;
    if (key) {
      for (let j = 0; j < i; j++) {
        if (props[j].key.text === key) {
          first = props[j];
          break;
        }
      }
    }
    if (key && !first) {
      out?.push(props[i]);
      continue;
    }
    out ??= props.slice(0, i);
    if (first) {
      ctx.report.error('NUR101', ctx.file, props[i].key.span, `\`${key}\` is given twice in ${where}${name ? ` \`${name}\`` : ''}`, {
        help: 'remove one of the two',
        related: firstDeclaredHere(ctx.file, first.key.span, 'first given here'),
      });
    }
  }
  return out ?? props;
}
