// NUR309: a channel without `consent` that carries non-transactional content: those messages would
// go to leads who never agreed to them. Reported once per channel, at its name, with the contents.
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { ChannelSymbol, ContentSymbol, Model } from '../model.js';
import { listWords, warning } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeConsent(model: Model, sound: Soundness): Diagnostic[] {
  const byChannel = new Map<ChannelSymbol, ContentSymbol[]>();
  for (const c of model.contents.values()) {
    if (!c.channel || c.transactional || c.channel.consent || hasConsentProperty(c.channel)) continue;
    if (!sound.clean(c.file, c.declSpan) || !sound.clean(c.channel.file, c.channel.declSpan)) continue;
    const list = byChannel.get(c.channel);
    if (list) list.push(c);
    else byChannel.set(c.channel, [c]);
  }
  const out: Diagnostic[] = [];
  for (const [channel, contents] of byChannel) {
    const names = contents.map((c) => `\`${c.name}\``);
    const shown = names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
    out.push(warning('NUR309', channel.file, channel.span,
      `channel \`${channel.name}\` has no \`consent\`, but ${listWords(shown)} on it ${contents.length === 1 ? 'is' : 'are'} not transactional: they would reach leads who never agreed`, {
        help: `name a \`bool\` attribute that records the lead's consent: \`channel ${channel.name} { consent: ${channel.name}_consent }\`, or mark the content \`transactional: true\``,
        related: contents.slice(0, 3).map((c) => ({ file: c.file, span: c.span, message: `\`${c.name}\` is sent on \`${channel.name}\`` })),
      }));
  }
  return out;
}

/** A `consent` property that did not resolve (already an error) counts as given: no cascade. */
function hasConsentProperty(channel: ChannelSymbol): boolean {
  return channel.decl.properties.some((p) => p.key.text === 'consent');
}
