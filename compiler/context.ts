// The state shared by the checking passes: the model under construction, the diagnostics, the file
// being checked, and name resolution against the global kinds (NUR100 unknown / NUR102 wrong kind).
import type { Ident } from '../grammar/ast.js';
import {
  describeSymbol, kindName, withArticle, type ChannelSymbol, type ContentSymbol, type EventSymbol, type JourneySymbol,
  type Model, type AttributeSymbol, type ScoreSymbol, type SegmentSymbol, type StageSymbol, type StreamSymbol,
  type Sym, type TopicSymbol,
} from './model.js';
import { NodeTable, ReferenceIndex } from './references.js';
import { didYouMean, type Reporter } from './reporter.js';

/** The kinds a name can be looked up as, by keyword context (`send X`, `on X`, `enroll X`…). */
export interface GlobalKinds {
  attribute: AttributeSymbol;
  event: EventSymbol;
  channel: ChannelSymbol;
  topic: TopicSymbol;
  content: ContentSymbol;
  stream: StreamSymbol;
  stage: StageSymbol;
  segment: SegmentSymbol;
  score: ScoreSymbol;
  journey: JourneySymbol;
}
export type GlobalKind = keyof GlobalKinds;

/** How to declare a missing name, shown when no close name exists. */
const DECLARE_HINT: Record<GlobalKind, (name: string) => string> = {
  attribute: (n) => `declare it in a lead block: \`lead { ${n}: text }\``,
  event: (n) => `declare it: \`event ${n}\``,
  channel: (n) => `declare it: \`channel ${n}\``,
  topic: (n) => `declare it: \`topics ${n}\``,
  content: (n) => `declare it: \`content ${n} { channel: … }\``,
  stream: (n) => `declare it: \`stream ${n}: content, …\``,
  stage: () => "add it to the `stages` declaration",
  segment: (n) => `declare it: \`segment ${n} = condition\``,
  score: (n) => `declare it: \`score ${n} { … }\``,
  journey: (n) => `declare it: \`journey ${n} { … }\``,
};

/** Order in which other kinds are tried to explain a wrong-kind name (NUR102). */
const ALL_GLOBAL_KINDS: GlobalKind[] = [
  'attribute', 'score', 'segment', 'event', 'content', 'channel', 'stream', 'journey', 'topic', 'stage',
];

export function emptyModel(files: readonly string[]): Model {
  return {
    files,
    timezone: { name: 'UTC' },
    attributes: new Map(),
    events: new Map(),
    channels: new Map(),
    topics: new Map(),
    contents: new Map(),
    streams: new Map(),
    stages: new Map(),
    segments: new Map(),
    scores: new Map(),
    thresholds: new Map(),
    journeys: new Map(),
    tests: new Map(),
    handlers: [],
    references: new ReferenceIndex(),
    exprTypes: new NodeTable(),
  };
}

export class Context {
  /** The file whose declarations are being checked. */
  file = '';
  /**
   * Definitions that a segment / score depends on (segment conditions, fit rules, derived scores),
   * for cycle detection. `owner` is the symbol whose definition is being checked, if any.
   */
  owner: SegmentSymbol | ScoreSymbol | undefined;
  readonly dependencies = new Map<Sym, Set<Sym>>();

  private readonly tables: { [P in GlobalKind]: Map<string, GlobalKinds[P]> };

  constructor(
    readonly model: Model,
    readonly report: Reporter,
  ) {
    const m = model;
    this.tables = {
      attribute: m.attributes, event: m.events, channel: m.channels, topic: m.topics, content: m.contents,
      stream: m.streams, stage: m.stages, segment: m.segments, score: m.scores, journey: m.journeys,
    };
  }

  /** Records a resolved occurrence in the reference index (and a dependency edge if relevant). */
  ref(ident: Ident, symbol: Sym, declaration = false): void {
    this.model.references.add(this.file, ident, symbol, declaration);
    if (!declaration && this.owner && (symbol.kind === 'segment' || symbol.kind === 'score')) {
      let deps = this.dependencies.get(this.owner);
      if (!deps) this.dependencies.set(this.owner, (deps = new Set()));
      deps.add(symbol);
    }
  }

  mapOf<K extends GlobalKind>(kind: K): Map<string, GlobalKinds[K]> {
    return this.tables[kind];
  }

  /** The symbol a name denotes in any kind (to explain a wrong-kind name), if any. */
  findAny(name: string): Sym | undefined {
    for (const kind of ALL_GLOBAL_KINDS) {
      const sym = this.mapOf(kind).get(name);
      if (sym) return sym;
    }
    return this.model.thresholds.get(name);
  }

  /**
   * Resolves `ident` as a `kind` (records the reference), or reports NUR102 when it names another
   * kind of thing, NUR100 when it names nothing (with did-you-mean). Empty names (parser recovery)
   * are skipped silently.
   */
  resolve<K extends GlobalKind>(ident: Ident, kind: K): GlobalKinds[K] | undefined {
    const name = ident.text;
    if (!name) return undefined;
    const map = this.mapOf(kind);
    const found = map.get(name);
    if (found) {
      this.ref(ident, found);
      return found;
    }
    this.reportNotA(ident, kindName(kind), map.keys(), DECLARE_HINT[kind](name));
    return undefined;
  }

  /**
   * Reports that `ident` is not a `expected` (e.g. "content", "attribute or score"): NUR102 if it
   * names something else, NUR100 otherwise; did-you-mean among `candidates`.
   */
  reportNotA(ident: Ident, expected: string, candidates: Iterable<string>, declareHint?: string): void {
    const file = this.file;
    const other = this.findAny(ident.text);
    const hint = didYouMean(file, ident.span, ident.text, candidates, other ? undefined : declareHint);
    if (other) {
      this.report.error('NUR102', file, ident.span, `\`${ident.text}\` is ${withArticle(kindName(other.kind))}, not ${withArticle(expected)}`, {
        ...hint,
        related: other.file ? [{ file: other.file, span: other.span, message: `${describeSymbol(other)} is declared here` }] : undefined,
      });
    } else {
      this.report.error('NUR100', file, ident.span, `unknown ${expected} \`${ident.text}\``, hint);
    }
  }
}

