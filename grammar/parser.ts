// The chevrotain grammar of .nurture (LANGUAGE.md sections 3-5), written with embedded actions so
// that it builds the plain syntax tree of ast.ts directly (no intermediate CST: 2-3x faster).
// Error recovery is on: a rule that fails returns the part of its node built so far (see `open`).
import { EmbeddedActionsParser, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type * as A from './ast.js';
import { errorMessages } from './parse-errors.js';
import * as T from './tokens.js';
import { durationOf, spanOfTokens, tokenSpan } from './spans.js';

const { KW } = T;

/** Keywords that begin a declaration, setting, step, rule or test statement. */
const STATEMENT_STARTS: ReadonlySet<TokenType> = new Set(T.STATEMENT_WORDS.map((w) => KW[w]));

type ComparisonSuffix =
  | { kind: 'compare'; op: A.CompareOp; opSpan: A.Span; right: A.Expr }
  | { kind: 'known'; missing: boolean }
  | { kind: 'in'; negated: boolean; list: A.ListLit }
  | { kind: 'contains'; right: A.Expr };

type Setting<K extends A.JourneySetting['kind']> = Extract<A.JourneySetting, { kind: K }>;

interface Partial {
  depth: number;
  node: { span: A.Span };
  start: IToken;
}

export class NurtureParser extends EmbeddedActionsParser {
  /** Nodes under construction, so that a rule interrupted by an error can return what it has. */
  private partials: Partial[] = [];
  /** Durations with an unknown unit, reported as NUR003 by parse.ts. */
  badUnits: { token: IToken; amount: number }[] = [];
  /** Mistakes the parser understood and recovered from itself (reported as NUR001 by parse.ts). */
  lenient: { span: A.Span; message: string; help: string; fix?: string }[] = [];

  /**
   * `validate`: check the grammar itself (ambiguities, left recursion…) while analysing it. A test does
   * (tests/parser/grammar-valid.test.ts); the tools skip it: a third of the ~70 ms every start spends here.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages, skipValidations: options.validate !== true });
    this.performSelfAnalysis();
  }

  load(tokens: IToken[]): void {
    this.partials = [];
    this.badUnits = [];
    this.lenient = [];
    this.input = tokens;
  }

  // --- node helpers ----------------------------------------------------------------------------

  /** Registers a node under construction; `close` finishes it, recovery returns it (partial). */
  private open<N extends { span: A.Span }>(start: IToken, node: Omit<N, 'span'>): N {
    const full = node as N;
    full.span = tokenSpan(start);
    this.partials.push({ depth: this.ruleDepth(), node: full, start });
    return full;
  }

  private close<N extends { span: A.Span }>(node: N): N {
    const top = this.partials.pop();
    if (top) node.span = spanOfTokens(top.start, this.LA(0));
    return node;
  }

  /** Called by chevrotain when a rule recovers by re-synchronising: the partial node of that rule. */
  private recoverPartial(): unknown {
    const depth = this.ruleDepth();
    let found: Partial | undefined;
    // pops the nodes of the interrupted rules; keeps the outermost one at or below this rule
    // (a `declaration` that gives up at the end of the file returns its unfinished journey)
    while (this.partials.length > 0 && this.partials[this.partials.length - 1]!.depth >= depth) found = this.partials.pop()!;
    if (!found) return undefined;
    found.node.span = spanOfTokens(found.start, this.LA(0));
    return found.node;
  }

  private ruleDepth(): number {
    return (this as unknown as { RULE_STACK_IDX: number }).RULE_STACK_IDX;
  }

  /**
   * A rule that, when chevrotain re-synchronises inside it, returns its partial node or else
   * `fallback()`: a placeholder of the right type, so that the tree never holds `undefined`.
   */
  private recovering<F extends (...args: any[]) => any>(name: string, impl: F, fallback?: () => ReturnType<F>) {
    return this.RULE(name, impl, {
      recoveryValueFunc: () => (this.recoverPartial() ?? fallback?.()) as ReturnType<F>,
    });
  }

  /** A zero-width span just after the last consumed token. */
  private here(): A.Span {
    const prev = this.LA(0);
    if (Number.isNaN(prev.startOffset)) return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const s = tokenSpan(prev);
    return { start: s.end, end: s.end, line: s.endLine, column: s.endColumn, endLine: s.endLine, endColumn: s.endColumn };
  }
  private missingIdent(): A.Ident {
    return { text: '', span: this.here() };
  }
  private errorExpr(): A.ErrorExpr {
    return { kind: 'error', span: this.here() };
  }
  private missingDuration(): A.DurationLit {
    return { kind: 'duration', amount: 0, unit: 'day', ms: 0, raw: '', span: this.here() };
  }
  private missingNumber(): A.NumberLit {
    return { kind: 'number', value: 0, raw: '', span: this.here() };
  }
  private missingPercent(): A.PercentLit {
    return { kind: 'percent', value: 0, raw: '', span: this.here() };
  }
  private missingText(): A.TextLit {
    return { kind: 'text', value: '', raw: '', span: this.here() };
  }

  /** Inserted tokens (single-token insertion recovery) sit right after the previous token. */
  override getTokenToInsert(tokType: TokenType): IToken {
    const prev = this.LA(0);
    const ok = !Number.isNaN(prev.startOffset);
    return {
      image: '', startOffset: ok ? prev.endOffset! + 1 : 0, endOffset: ok ? prev.endOffset! : -1,
      startLine: ok ? prev.endLine : 1, endLine: ok ? prev.endLine : 1, startColumn: ok ? prev.endColumn! + 1 : 1,
      endColumn: ok ? prev.endColumn : 0, tokenType: tokType, tokenTypeIdx: tokType.tokenTypeIdx!, isInsertedInRecovery: true,
    };
  }

  private ident(tok: IToken): A.Ident {
    return { text: tok.image, span: tokenSpan(tok) };
  }

  private consumeName(idx = 0): A.Ident {
    return this.ident(this.consumeAt(T.Name, idx));
  }

  private consumeAt(type: TokenType, idx: number): IToken {
    switch (idx) {
      case 0: return this.CONSUME(type);
      case 1: return this.CONSUME1(type);
      case 2: return this.CONSUME2(type);
      case 3: return this.CONSUME3(type);
      default: return this.CONSUME4(type);
    }
  }

  // --- file and declarations --------------------------------------------------------------------

  /** Declarations parsed so far: kept even if the whole file rule has to give up. */
  private decls: A.Declaration[] = [];

  public file = this.RULE('file', (): A.Declaration[] => {
    this.decls = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.declaration);
      if (d) this.ACTION(() => this.decls.push(d));
    });
    return this.decls;
  }, {
    recoveryValueFunc: () => {
      const unfinished = this.recoverPartial() as A.Declaration | undefined;
      if (unfinished) this.decls.push(unfinished);
      return this.decls;
    },
  });

  private declaration = this.RULE('declaration', (): A.Declaration | undefined =>
    this.OR<A.Declaration | undefined>(this.alts.declaration ??= [
      { ALT: () => this.SUBRULE(this.timezoneDecl) },
      { ALT: () => this.SUBRULE(this.controlGroupDecl) },
      { ALT: () => this.SUBRULE(this.leadDecl) },
      { ALT: () => this.SUBRULE(this.eventDecl) },
      { ALT: () => this.SUBRULE(this.channelDecl) },
      { ALT: () => this.SUBRULE(this.topicsDecl) },
      { ALT: () => this.SUBRULE(this.contentDecl) },
      { ALT: () => this.SUBRULE(this.streamDecl) },
      { ALT: () => this.SUBRULE(this.stagesDecl) },
      { ALT: () => this.SUBRULE(this.segmentDecl) },
      { ALT: () => this.SUBRULE(this.scoreDecl) },
      { ALT: () => this.SUBRULE(this.thresholdDecl) },
      { ALT: () => this.SUBRULE(this.onDecl) },
      { ALT: () => this.SUBRULE(this.pressureDecl) },
      { ALT: () => this.SUBRULE(this.journeyDecl) },
      { ALT: () => this.SUBRULE(this.testDecl) },
    ]),
  );

  private timezoneDecl = this.recovering('timezoneDecl', (): A.TimezoneDecl => {
    const node = this.open<A.TimezoneDecl>(this.CONSUME(KW.timezone), { kind: 'timezone', value: this.missingText() });
    node.value = this.SUBRULE(this.text);
    return this.close(node);
  });

  private controlGroupDecl = this.recovering('controlGroupDecl', (): A.ControlGroupDecl => {
    const node = this.open<A.ControlGroupDecl>(this.CONSUME(KW.control), { kind: 'controlGroup', percent: this.missingPercent() });
    this.CONSUME(KW.group);
    node.percent = this.SUBRULE(this.percent);
    return this.close(node);
  });

  private leadDecl = this.recovering('leadDecl', (): A.LeadDecl => {
    const node = this.open<A.LeadDecl>(this.CONSUME(KW.lead), { kind: 'lead', fields: [] });
    this.SUBRULE(this.fieldBlock, { ARGS: [node.fields] });
    return this.close(node);
  });

  private eventDecl = this.recovering('eventDecl', (): A.EventDecl => {
    const node = this.open<A.EventDecl>(this.CONSUME(KW.event), { kind: 'event', name: this.missingIdent(), fields: [] });
    node.name = this.consumeName();
    this.OPTION(() => this.SUBRULE(this.fieldBlock, { ARGS: [node.fields] }));
    return this.close(node);
  });

  /** `{ name: type [,] … }` (commas optional). */
  private fieldBlock = this.RULE('fieldBlock', (fields: A.FieldDecl[]) => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const f = this.SUBRULE(this.fieldDecl);
      if (f) this.ACTION(() => fields.push(f));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  private fieldDecl = this.recovering('fieldDecl', (): A.FieldDecl => {
    const nameTok = this.CONSUME(T.Name);
    const node = this.open<A.FieldDecl>(nameTok, { kind: 'field', name: this.ident(nameTok), type: { kind: 'namedType', name: this.missingIdent(), span: this.here() } });
    this.CONSUME(T.Colon);
    node.type = this.SUBRULE(this.typeExpr);
    return this.close(node);
  });

  private typeExpr = this.recovering('typeExpr', (): A.TypeExpr =>
    this.OR<A.TypeExpr>(this.alts.typeExpr ??= [
      {
        GATE: () => this.LA(2).tokenType === KW.of,
        ALT: () => {
          const start = this.CONSUME(KW.one);
          this.CONSUME(KW.of);
          this.CONSUME(T.LBracket);
          const members = this.SUBRULE(this.nameList);
          this.CONSUME(T.RBracket);
          return { kind: 'enumType', members, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.LA(2).tokenType === KW.of,
        ALT: () => {
          const start = this.CONSUME(KW.list);
          this.CONSUME1(KW.of);
          const of = this.consumeName();
          return { kind: 'listType', of, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const name = this.consumeName(1);
          return { kind: 'namedType', name, span: name.span };
        },
      },
    ]),
  (): A.TypeExpr => ({ kind: 'namedType', name: this.missingIdent(), span: this.here() }));

  /** `a, b, c` */
  private nameList = this.recovering('nameList', (): A.Ident[] => {
    const names: A.Ident[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.consumeName()) });
    return names;
  }, () => []);

  private channelDecl = this.recovering('channelDecl', (): A.ChannelDecl => {
    const node = this.open<A.ChannelDecl>(this.CONSUME(KW.channel), { kind: 'channel', name: this.missingIdent(), properties: [] });
    node.name = this.consumeName();
    this.OPTION(() => this.SUBRULE(this.propertyBlock, { ARGS: [node.properties] }));
    return this.close(node);
  });

  private topicsDecl = this.recovering('topicsDecl', (): A.TopicsDecl => {
    const node = this.open<A.TopicsDecl>(this.CONSUME(KW.topics), { kind: 'topics', names: [] });
    node.names = this.SUBRULE(this.nameList);
    return this.close(node);
  });

  private contentDecl = this.recovering('contentDecl', (): A.ContentDecl => {
    const node = this.open<A.ContentDecl>(this.CONSUME(KW.content), { kind: 'content', name: this.missingIdent(), properties: [] });
    node.name = this.consumeName();
    this.SUBRULE(this.propertyBlock, { ARGS: [node.properties] });
    return this.close(node);
  });

  /** `{ key: value [,] … }` (commas optional). */
  private propertyBlock = this.RULE('propertyBlock', (props: A.Property[]) => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const p = this.SUBRULE(this.property);
      if (p) this.ACTION(() => props.push(p));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  private property = this.recovering('property', (): A.Property => {
    const keyTok = this.CONSUME(T.Name);
    const node = this.open<A.Property>(keyTok, { kind: 'property', key: this.ident(keyTok), value: this.errorExpr() });
    this.CONSUME(T.Colon);
    node.value = this.SUBRULE(this.primary);
    return this.close(node);
  });

  private streamDecl = this.recovering('streamDecl', (): A.StreamDecl => {
    const node = this.open<A.StreamDecl>(this.CONSUME(KW.stream), { kind: 'stream', name: this.missingIdent(), items: [] });
    node.name = this.consumeName();
    this.CONSUME(T.Colon);
    node.items = this.SUBRULE(this.nameList);
    return this.close(node);
  });

  private stagesDecl = this.recovering('stagesDecl', (): A.StagesDecl => {
    const node = this.open<A.StagesDecl>(this.CONSUME(KW.stages), { kind: 'stages', names: [] });
    node.names = this.SUBRULE(this.nameList);
    return this.close(node);
  });

  private segmentDecl = this.recovering('segmentDecl', (): A.SegmentDecl => {
    const node = this.open<A.SegmentDecl>(this.CONSUME(KW.segment), { kind: 'segment', name: this.missingIdent(), condition: this.errorExpr() });
    node.name = this.consumeName();
    this.CONSUME(T.Assign);
    node.condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
    return this.close(node);
  });

  private scoreDecl = this.recovering('scoreDecl', (): A.ScoreDecl | A.DerivedScoreDecl => {
    const start = this.CONSUME(KW.score);
    const name = this.consumeName();
    return this.OR<A.ScoreDecl | A.DerivedScoreDecl>([
      {
        ALT: () => {
          const node = this.open<A.ScoreDecl>(start, { kind: 'score', name, rules: [] });
          this.CONSUME(T.LCurly);
          this.MANY(() => {
            const r = this.SUBRULE(this.scoreRule);
            if (r) node.rules.push(r);
          });
          this.CONSUME(T.RCurly);
          return this.close(node);
        },
      },
      {
        ALT: () => {
          const node = this.open<A.DerivedScoreDecl>(start, { kind: 'derivedScore', name, expr: this.errorExpr() });
          this.CONSUME(T.Assign);
          node.expr = this.SUBRULE(this.orExpr, { ARGS: [true] });
          return this.close(node);
        },
      },
    ]);
  });

  private scoreRule = this.recovering('scoreRule', (): A.ScoreRule =>
    this.OR<A.ScoreRule>(this.alts.scoreRule ??= [
      {
        ALT: () => {
          const points = this.SUBRULE(this.signedNumber);
          return this.OR1<A.ScoreRule>([
            {
              ALT: () => {
                this.CONSUME(T.KW.if);
                const condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
                return { kind: 'fitRule', points, condition, span: this.spanFrom(points?.span) };
              },
            },
            {
              ALT: () => {
                this.CONSUME(KW.on);
                const node: A.EngagementRule = { kind: 'engagementRule', points, event: this.consumeName(), span: points.span };
                this.OPTION(() => {
                  this.CONSUME(KW.where);
                  node.where = this.SUBRULE1(this.orExpr, { ARGS: [false] });
                });
                this.OPTION1(() => {
                  this.OR2([
                    {
                      ALT: () => {
                        const start = this.CONSUME(KW.max);
                        const count = this.SUBRULE(this.number);
                        const per = this.SUBRULE(this.perDuration);
                        node.limit = { kind: 'max', count, per, span: spanOfTokens(start, this.LA(0)) };
                      },
                    },
                    { ALT: () => { node.limit = { kind: 'once', span: tokenSpan(this.CONSUME(KW.once)) }; } },
                  ]);
                });
                node.span = this.spanFrom(points.span);
                return node;
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.decay);
          const amount = this.OR3<A.PercentLit | A.NumberLit>([
            { ALT: () => this.SUBRULE(this.percent) },
            { ALT: () => this.SUBRULE1(this.number) },
          ]);
          this.CONSUME(KW.every);
          const every = this.SUBRULE(this.duration);
          this.CONSUME(KW.idle);
          return { kind: 'decay', amount, every, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.range);
          const min = this.SUBRULE1(this.signedNumber);
          this.CONSUME(KW.to);
          const max = this.SUBRULE2(this.signedNumber);
          return { kind: 'range', min, max, span: spanOfTokens(start, this.LA(0)) };
        },
      },
    ]),
  );

  private thresholdDecl = this.recovering('thresholdDecl', (): A.ThresholdDecl => {
    const node = this.open<A.ThresholdDecl>(this.CONSUME(KW.threshold), {
      kind: 'threshold', name: this.missingIdent(), condition: this.errorExpr(), actions: [],
    });
    node.name = this.consumeName();
    this.CONSUME(KW.when);
    node.condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
    this.SUBRULE(this.block, { ARGS: [node.actions] });
    return this.close(node);
  });

  private onDecl = this.recovering('onDecl', (): A.OnDecl => {
    const node = this.open<A.OnDecl>(this.CONSUME(KW.on), { kind: 'on', event: this.missingIdent(), actions: [] });
    node.event = this.consumeName();
    this.OPTION(() => {
      this.CONSUME(KW.where);
      node.where = this.SUBRULE(this.orExpr, { ARGS: [false] });
    });
    this.SUBRULE(this.block, { ARGS: [node.actions] });
    return this.close(node);
  });

  private pressureDecl = this.recovering('pressureDecl', (): A.PressureDecl => {
    const node = this.open<A.PressureDecl>(this.CONSUME(KW.pressure), { kind: 'pressure', rules: [] });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const r = this.SUBRULE(this.pressureRule);
      if (r) node.rules.push(r);
    });
    this.CONSUME(T.RCurly);
    return this.close(node);
  });

  private messageWord = this.RULE('messageWord', () => {
    this.OR(this.alts.messageWord ??= [{ ALT: () => this.CONSUME(KW.message) }, { ALT: () => this.CONSUME(KW.messages) }]);
  });

  private pressureRule = this.recovering('pressureRule', (): A.PressureRule =>
    this.OR<A.PressureRule>(this.alts.pressureRule ??= [
      {
        ALT: () => {
          const start = this.CONSUME(KW.max);
          const count = this.SUBRULE(this.number);
          this.SUBRULE(this.messageWord);
          const per = this.SUBRULE(this.perDuration);
          let channel: A.Ident | undefined;
          this.OPTION(() => {
            this.CONSUME(KW.on);
            channel = this.consumeName();
          });
          return { kind: 'maxMessages', count, per, ...(channel ? { channel } : {}), span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.min);
          const gap = this.SUBRULE(this.duration);
          this.CONSUME(KW.between);
          this.SUBRULE1(this.messageWord);
          return this.OR1<A.PressureRule>([
            {
              GATE: () => this.LA(2).tokenType === KW.the,
              ALT: () => {
                this.CONSUME1(KW.on);
                this.CONSUME(KW.the);
                this.CONSUME(KW.same);
                this.CONSUME(KW.topic);
                return { kind: 'minGapTopic', gap, span: spanOfTokens(start, this.LA(0)) };
              },
            },
            {
              ALT: () => {
                let channel: A.Ident | undefined;
                this.OPTION1(() => {
                  this.CONSUME2(KW.on);
                  channel = this.consumeName(1);
                });
                return { kind: 'minGap', gap, ...(channel ? { channel } : {}), span: spanOfTokens(start, this.LA(0)) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.quiet);
          return this.OR2<A.PressureRule>([
            {
              ALT: () => {
                this.CONSUME(KW.hours);
                const from = this.SUBRULE(this.time);
                this.CONSUME(KW.to);
                const to = this.SUBRULE1(this.time);
                return { kind: 'quietHours', from, to, span: spanOfTokens(start, this.LA(0)) };
              },
            },
            {
              ALT: () => {
                this.CONSUME(KW.days);
                const days = this.SUBRULE(this.nameList);
                return { kind: 'quietDays', days, span: spanOfTokens(start, this.LA(0)) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.delay);
          this.CONSUME(KW.capped);
          this.SUBRULE2(this.messageWord);
          this.CONSUME(KW.up);
          this.CONSUME1(KW.to);
          const upTo = this.SUBRULE1(this.duration);
          return { kind: 'delayCapped', upTo, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.skip);
          this.CONSUME1(KW.capped);
          this.SUBRULE3(this.messageWord);
          return { kind: 'skipCapped', span: spanOfTokens(start, this.LA(0)) };
        },
      },
    ]),
  );

  // --- journeys ---------------------------------------------------------------------------------

  private journeyDecl = this.recovering('journeyDecl', (): A.JourneyDecl => {
    const node = this.open<A.JourneyDecl>(this.CONSUME(KW.journey), { kind: 'journey', name: this.missingIdent(), items: [] });
    node.name = this.consumeName();
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const item = this.OR<A.JourneyItem | undefined>(this.alts.journeyItem ??= [
        { ALT: () => this.SUBRULE(this.journeySetting) },
        { ALT: () => this.SUBRULE(this.step) },
      ]);
      if (item) node.items.push(item);
    });
    this.CONSUME(T.RCurly);
    return this.close(node);
  });

  /** Optional `where condition`. */
  private whereClause = this.RULE('whereClause', (): A.Expr | undefined => {
    let where: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.where);
      where = this.SUBRULE(this.orExpr, { ARGS: [false] });
    });
    return where;
  });

  private journeySetting = this.recovering('journeySetting', (): A.JourneySetting =>
    this.OR<A.JourneySetting>(this.alts.journeySetting ??= [
      {
        ALT: () => {
          const start = this.CONSUME(KW.entry);
          return this.OR1<A.JourneySetting>([
            {
              ALT: () => {
                this.CONSUME(KW.on);
                const node = this.open<Setting<'entryOn'>>(start, { kind: 'entryOn', event: this.consumeName() });
                const where = this.SUBRULE(this.whereClause);
                if (where) node.where = where;
                return this.close(node);
              },
            },
            {
              ALT: () => {
                this.CONSUME(KW.when);
                const node = this.open<Setting<'entryWhen'>>(start, { kind: 'entryWhen', condition: this.errorExpr() });
                node.condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
                return this.close(node);
              },
            },
            {
              ALT: () => {
                const offset = this.SUBRULE(this.duration);
                const direction = this.OR2([
                  { ALT: () => { this.CONSUME(KW.before); return 'before' as const; } },
                  { ALT: () => { this.CONSUME(KW.after); return 'after' as const; } },
                ]);
                const attribute = this.consumeName(1);
                let yearly = false;
                this.OPTION(() => {
                  this.CONSUME(KW.yearly);
                  yearly = true;
                });
                return { kind: 'entryDate', offset, direction, attribute, yearly, span: spanOfTokens(start, this.LA(0)) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.audience);
          const node = this.open<Setting<'audience'>>(start, { kind: 'audience', condition: this.errorExpr() });
          node.condition = this.SUBRULE1(this.orExpr, { ARGS: [false] });
          return this.close(node);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.reentry);
          return this.OR3<A.JourneySetting>([
            { ALT: () => { this.CONSUME(KW.never); return { kind: 'reentry', mode: 'never', span: spanOfTokens(start, this.LA(0)) }; } },
            { ALT: () => { this.CONSUME(KW.always); return { kind: 'reentry', mode: 'always', span: spanOfTokens(start, this.LA(0)) }; } },
            {
              ALT: () => {
                this.CONSUME1(KW.after);
                const after = this.SUBRULE1(this.duration);
                return { kind: 'reentry', mode: 'after', after, span: spanOfTokens(start, this.LA(0)) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.exit);
          return this.OR4<A.JourneySetting>([
            {
              ALT: () => {
                this.CONSUME1(KW.when);
                const node = this.open<Setting<'exitWhen'>>(start, { kind: 'exitWhen', condition: this.errorExpr() });
                node.condition = this.SUBRULE2(this.orExpr, { ARGS: [false] });
                return this.close(node);
              },
            },
            {
              ALT: () => {
                this.CONSUME1(KW.on);
                const node = this.open<Setting<'exitOn'>>(start, { kind: 'exitOn', event: this.consumeName(2) });
                const where = this.SUBRULE1(this.whereClause);
                if (where) node.where = where;
                return this.close(node);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.goal);
          return this.OR5<A.JourneySetting>([
            {
              ALT: () => {
                this.CONSUME2(KW.on);
                const event = this.consumeName(3);
                const where = this.SUBRULE2(this.whereClause);
                this.CONSUME(KW.within);
                const within = this.SUBRULE2(this.duration);
                return { kind: 'goalOn', event, ...(where ? { where } : {}), within, span: spanOfTokens(start, this.LA(0)) };
              },
            },
            {
              ALT: () => {
                const condition = this.SUBRULE3(this.orExpr, { ARGS: [false] });
                this.CONSUME1(KW.within);
                const within = this.SUBRULE3(this.duration);
                return { kind: 'goalWhen', condition, within, span: spanOfTokens(start, this.LA(0)) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.holdout);
          const percent = this.SUBRULE(this.percent);
          return { kind: 'holdout', percent, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.priority);
          const value = this.SUBRULE(this.signedNumber);
          return { kind: 'priority', value, span: spanOfTokens(start, this.LA(0)) };
        },
      },
    ]),
  );

  /** `{ steps }` appended to `into`. */
  private block = this.RULE('block', (into: A.Step[]) => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const s = this.SUBRULE(this.step);
      if (s) this.ACTION(() => into.push(s));
    });
    this.CONSUME(T.RCurly);
  });

  private step = this.recovering('step', (): A.Step =>
    this.OR<A.Step>(this.alts.step ??= [
      {
        ALT: () => {
          const start = this.CONSUME(KW.send);
          // open before the name, so that a bare `send` being typed is still a step in the tree
          const node = this.open<A.SendStep>(start, { kind: 'send', content: this.missingIdent() });
          return this.OR1<A.Step>([
            {
              GATE: () => this.LA(1).tokenType === KW.next && this.LA(2).tokenType === KW.from,
              ALT: () => {
                this.CONSUME(KW.next);
                this.CONSUME(KW.from);
                const stream = this.consumeName();
                this.close(node);
                return { kind: 'sendNext', stream, span: spanOfTokens(start, this.LA(0)) };
              },
            },
            {
              ALT: () => {
                // `send` alone on its line and the next line a step: the name is missing, the step is
                // not it (the recording phase must see the CONSUME, so it always takes this path)
                if (!this.RECORDING_PHASE && this.startsStatement()) {
                  this.lenient.push({
                    span: tokenSpan(start),
                    message: 'expected the name of a content after `send`, found the end of the line',
                    help: 'name the content to send: `send welcome_email`, or `send next from a_stream`',
                  });
                  return this.close(node);
                }
                node.content = this.consumeName(1);
                return this.close(node);
              },
            },
          ]);
        },
      },
      { ALT: () => this.SUBRULE(this.waitStep) },
      { ALT: () => this.SUBRULE(this.ifStep) },
      { ALT: () => this.SUBRULE(this.splitStep) },
      { ALT: () => this.SUBRULE(this.repeatStep) },
      {
        ALT: () => {
          const start = this.CONSUME(KW.move);
          this.CONSUME(KW.to);
          return { kind: 'moveTo', journey: this.journeyName(this.consumeAt(T.Name, 2), 'move to'), span: spanOfTokens(start, this.LA(0)) };
        },
      },
      { ALT: () => ({ kind: 'end', span: tokenSpan(this.CONSUME(KW.end)) }) },
      {
        ALT: () => {
          const start = this.CONSUME(KW.set);
          const node = this.open<A.SetAction>(start, { kind: 'set', target: this.consumeName(3), value: this.errorExpr() });
          this.CONSUME(T.Assign);
          node.value = this.SUBRULE(this.orExpr, { ARGS: [true] });
          return this.close(node);
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.handoff);
          const queue = this.SUBRULE(this.text);
          return { kind: 'handoff', queue, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.enroll);
          return { kind: 'enroll', journey: this.journeyName(this.consumeAt(T.Name, 4), 'enroll'), span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.remove);
          this.CONSUME1(KW.from);
          const journey = this.journeyName(this.CONSUME5(T.Name), 'remove from');
          return { kind: 'removeFrom', journey, span: spanOfTokens(start, this.LA(0)) };
        },
      },
    ]),
  );

  private waitStep = this.recovering('waitStep', (): A.Step => {
    const start = this.CONSUME(KW.wait);
    return this.OR<A.Step>([
      {
        ALT: () => {
          this.CONSUME(KW.for);
          const node = this.open<A.WaitForStep>(start, { kind: 'waitFor', event: this.consumeName(), upTo: this.missingDuration() });
          const where = this.SUBRULE(this.whereClause);
          if (where) node.where = where;
          node.upTo = this.SUBRULE(this.upTo);
          this.SUBRULE(this.outcomeBlocks, { ARGS: [node] });
          return this.close(node);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.until);
          const node = this.open<A.WaitUntilStep>(start, { kind: 'waitUntil', condition: this.errorExpr(), upTo: this.missingDuration() });
          node.condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
          node.upTo = this.SUBRULE1(this.upTo);
          this.SUBRULE1(this.outcomeBlocks, { ARGS: [node] });
          return this.close(node);
        },
      },
      { ALT: () => ({ kind: 'wait', duration: this.SUBRULE(this.duration), span: spanOfTokens(start, this.LA(0)) }) },
    ]);
  });

  private upTo = this.recovering('upTo', (): A.DurationLit => {
    this.CONSUME(KW.up);
    this.CONSUME(KW.to);
    return this.SUBRULE(this.duration);
  }, () => this.missingDuration());

  /** `[{ steps }] [timeout { steps }]` after a wait for / wait until. */
  private outcomeBlocks = this.RULE('outcomeBlocks', (node: A.WaitForStep | A.WaitUntilStep) => {
    this.OPTION(() => {
      const then: A.Step[] = [];
      this.ACTION(() => { node.then = then; });
      this.SUBRULE(this.block, { ARGS: [then] });
    });
    this.OPTION1(() => {
      this.CONSUME(KW.timeout);
      const timeout: A.Step[] = [];
      this.ACTION(() => { node.timeout = timeout; });
      this.SUBRULE1(this.block, { ARGS: [timeout] });
    });
  });

  private ifStep = this.recovering('ifStep', (): A.IfStep => {
    const start = this.CONSUME(T.KW.if);
    const node = this.open<A.IfStep>(start, { kind: 'if', branches: [] });
    const first = { condition: this.SUBRULE(this.orExpr, { ARGS: [false] }), body: [] as A.Step[], span: tokenSpan(start) };
    node.branches.push(first);
    this.SUBRULE(this.block, { ARGS: [first.body] });
    first.span = spanOfTokens(start, this.LA(0));
    this.MANY(() => {
      const elseTok = this.CONSUME(T.KW.else);
      this.OR([
        {
          ALT: () => {
            this.CONSUME1(T.KW.if);
            const branch = { condition: this.SUBRULE1(this.orExpr, { ARGS: [false] }), body: [] as A.Step[], span: tokenSpan(elseTok) };
            node.branches.push(branch);
            this.SUBRULE1(this.block, { ARGS: [branch.body] });
            branch.span = spanOfTokens(elseTok, this.LA(0));
          },
        },
        {
          ALT: () => {
            node.otherwise = [];
            this.SUBRULE2(this.block, { ARGS: [node.otherwise] });
          },
        },
      ]);
    });
    return this.close(node);
  });

  private splitStep = this.recovering('splitStep', (): A.SplitStep => {
    const node = this.open<A.SplitStep>(this.CONSUME(KW.split), { kind: 'split', branches: [] });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const percent = this.SUBRULE(this.percent);
      const branch = { percent, body: [] as A.Step[], span: percent.span };
      node.branches.push(branch);
      this.SUBRULE(this.block, { ARGS: [branch.body] });
      branch.span = this.spanFrom(percent.span);
    });
    this.CONSUME(T.RCurly);
    return this.close(node);
  });

  private repeatStep = this.recovering('repeatStep', (): A.RepeatStep => {
    const node = this.open<A.RepeatStep>(this.CONSUME(KW.repeat), { kind: 'repeat', every: this.missingDuration(), body: [] });
    this.CONSUME(KW.every);
    node.every = this.SUBRULE(this.duration);
    this.OPTION(() => {
      this.CONSUME(KW.max);
      node.max = this.SUBRULE(this.number);
      this.CONSUME(KW.times);
    });
    this.OPTION1(() => {
      this.CONSUME(KW.until);
      node.until = this.SUBRULE(this.orExpr, { ARGS: [false] });
    });
    this.SUBRULE(this.block, { ARGS: [node.body] });
    return this.close(node);
  });

  // --- tests ------------------------------------------------------------------------------------

  private testDecl = this.recovering('testDecl', (): A.TestDecl => {
    const node = this.open<A.TestDecl>(this.CONSUME(KW.test), { kind: 'test', name: this.missingText(), statements: [] });
    node.name = this.SUBRULE(this.text);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const s = this.SUBRULE(this.testStatement);
      if (s) node.statements.push(s);
    });
    this.CONSUME(T.RCurly);
    return this.close(node);
  });

  private testStatement = this.recovering('testStatement', (): A.TestStatement =>
    this.OR<A.TestStatement>(this.alts.testStatement ??= [
      {
        // `lead [“id”] { … }`; an event called `lead` is still possible when no block follows
        GATE: () => this.LA(2).tokenType === T.LCurly || this.LA(2).tokenType === T.TextTok,
        ALT: () => {
          const start = this.CONSUME(KW.lead);
          let id: A.TextLit | undefined;
          this.OPTION(() => { id = this.SUBRULE(this.text); });
          const properties: A.Property[] = [];
          this.SUBRULE(this.propertyBlock, { ARGS: [properties] });
          return { kind: 'testLead', ...(id ? { id } : {}), properties, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.isName(this.LA(2)),
        ALT: () => {
          const start = this.CONSUME(KW.holdout);
          const journey = this.consumeName();
          return { kind: 'testHoldout', journey, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        // `control group`; events called `control` then `group { … }` are still possible
        GATE: () => this.LA(2).tokenType === KW.group && this.LA(3).tokenType !== T.LCurly,
        ALT: () => {
          const start = this.CONSUME(KW.control);
          this.CONSUME1(KW.group);
          return { kind: 'testControlGroup', span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.LA(2).tokenType === T.DateTok,
        ALT: () => {
          const start = this.CONSUME(KW.at);
          const at = this.SUBRULE(this.dateTime);
          return { kind: 'at', at, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.LA(2).tokenType === T.NumberTok,
        ALT: () => {
          const start = this.CONSUME(KW.after);
          const duration = this.SUBRULE(this.duration);
          return { kind: 'after', duration, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(KW.expect);
          const node = this.open<Extract<A.TestStatement, { kind: 'expect' }>>(start, { kind: 'expect', condition: this.errorExpr() });
          node.condition = this.SUBRULE(this.orExpr, { ARGS: [false] });
          return this.close(node);
        },
      },
      {
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          const start = this.CONSUME1(T.Name);
          const properties: A.Property[] = [];
          this.OPTION1(() => this.SUBRULE1(this.propertyBlock, { ARGS: [properties] }));
          return { kind: 'occur', event: this.ident(start), properties, span: spanOfTokens(start, this.LA(0)) };
        },
      },
    ]),
  );

  /**
   * Newlines are insignificant, but a keyword that opens a statement (or a `+`/`-` opening a score
   * rule) at the start of a line is not taken as a value: `x is` followed by a line `send c` is an
   * unfinished condition, not a comparison with something called `send`. This keeps a half-typed
   * line from swallowing the next statement.
   */
  private startsStatement(): boolean {
    const next = this.LA(1);
    if (!(next.startLine! > this.LA(0).endLine!)) return false;
    return STATEMENT_STARTS.has(next.tokenType) || next.tokenType === T.Plus || next.tokenType === T.Minus;
  }

  /**
   * The journey named after `move to`, `enroll` or `remove from`. `remove from journey j2` (the word
   * `journey`, then a name on the same line) is understood as `remove from j2` and reported, with the fix.
   */
  private journeyName(tok: IToken, action: string): A.Ident {
    const next = this.LA(1);
    if (this.RECORDING_PHASE || tok.tokenType !== KW.journey || !this.isName(next) || next.startLine !== tok.endLine) return this.ident(tok);
    this.SKIP_TOKEN(); // consumes `next` (and returns the token after it)
    const name = next;
    this.lenient.push({
      span: spanOfTokens(tok, name),
      message: `\`${action}\` takes the journey's name alone: \`${action} ${name.image}\`, not \`${action} journey ${name.image}\``,
      help: `write \`${action} ${name.image}\``,
      fix: name.image,
    });
    return this.ident(name);
  }

  private isName(tok: IToken): boolean {
    return tok.tokenType === T.Identifier || tok.tokenType?.CATEGORIES?.includes(T.Name) === true;
  }

  // --- conditions and expressions ----------------------------------------------------------------

  // Conditions are `orExpr(false)`: no arithmetic outside parentheses, so that `-15 if …` on the next
  // line of a score starts a new rule. Values (`score x = …`, `set x = …`, inside parentheses) are
  // `orExpr(true)`.

  private orExpr = this.recovering('orExpr', (arith: boolean): A.Expr => {
    let left = this.SUBRULE(this.andExpr, { ARGS: [arith] });
    this.MANY(() => {
      this.CONSUME(T.KW.or);
      const right = this.SUBRULE1(this.andExpr, { ARGS: [arith] });
      left = { kind: 'or', left, right, span: this.join(left, right) };
    });
    return left;
  }, () => this.errorExpr());

  private andExpr = this.recovering('andExpr', (arith: boolean): A.Expr => {
    let left = this.SUBRULE(this.notExpr, { ARGS: [arith] });
    this.MANY(() => {
      this.CONSUME(T.KW.and);
      const right = this.SUBRULE1(this.notExpr, { ARGS: [arith] });
      left = { kind: 'and', left, right, span: this.join(left, right) };
    });
    return left;
  }, () => this.errorExpr());

  private notExpr = this.recovering('notExpr', (arith: boolean): A.Expr =>
    this.OR<A.Expr>((this.notAlts[arith ? 1 : 0] ??= [
      {
        ALT: () => {
          const start = this.CONSUME(T.KW.not);
          const operand = this.SUBRULE(this.notExpr, { ARGS: [arith] });
          return { kind: 'not', operand, span: this.spanFrom(tokenSpan(start)) };
        },
      },
      { ALT: () => this.SUBRULE(this.comparison, { ARGS: [arith] }) },
    ])),
  () => this.errorExpr());

  // Alternatives are built once per parser (not per call): chevrotain's `OR([...])` would otherwise
  // allocate every alternative and closure on every invocation, which dominated parse time.
  private notAlts: IOrAlt<A.Expr>[][] = [];
  private alts: Record<string, IOrAlt<any>[]> = {};
  private suffixAlts: IOrAlt<ComparisonSuffix>[][] = [];
  private isAlts: IOrAlt<'known' | 'missing' | A.Expr>[][] = [];

  private comparison = this.recovering('comparison', (arith: boolean): A.Expr => {
    const left = this.SUBRULE(this.operand, { ARGS: [arith] });
    let result: A.Expr = left;
    this.OPTION(() => {
      result = this.completeComparison(left, this.OR(this.suffixAlts[arith ? 1 : 0] ??= this.comparisonSuffixes(arith)));
    });
    return result;
  }, () => this.errorExpr());

  /** What may follow the left operand of a comparison. */
  private comparisonSuffixes(arith: boolean): IOrAlt<ComparisonSuffix>[] {
    return [
      {
        ALT: () => {
          const opTok = this.SUBRULE(this.compareOp);
          const right = this.SUBRULE1(this.operand, { ARGS: [arith] });
          return { kind: 'compare', op: opTok.image as A.CompareOp, opSpan: tokenSpan(opTok), right };
        },
      },
      {
        ALT: () => {
          const isTok = this.CONSUME(T.KW.is);
          let notTok: IToken | undefined;
          this.OPTION1(() => {
            notTok = this.CONSUME(T.KW.not);
          });
          const tail = this.OR1(this.isAlts[arith ? 1 : 0] ??= [
            { ALT: () => { this.CONSUME(KW.known); return 'known' as const; } },
            { ALT: () => { this.CONSUME(KW.missing); return 'missing' as const; } },
            {
              IGNORE_AMBIGUITIES: true, // `x is known`: the keyword wins over a value named `known`
              ALT: () => this.SUBRULE2(this.operand, { ARGS: [arith] }),
            },
          ]);
          const negated = notTok !== undefined;
          if (tail === 'known' || tail === 'missing') return { kind: 'known', missing: (tail === 'missing') !== negated };
          return { kind: 'compare', op: negated ? 'is not' : 'is', opSpan: spanOfTokens(isTok, notTok ?? isTok), right: tail };
        },
      },
      {
        ALT: () => {
          let negated = false;
          this.OPTION2(() => {
            this.CONSUME1(T.KW.not);
            negated = true;
          });
          this.CONSUME(T.KW.in);
          return { kind: 'in', negated, list: this.SUBRULE(this.list) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.contains);
          return { kind: 'contains', right: this.SUBRULE3(this.operand, { ARGS: [arith] }) };
        },
      },
    ];
  }

  private completeComparison(left: A.Expr, suffix: ComparisonSuffix): A.Expr {
    switch (suffix.kind) {
      case 'compare':
        return { kind: 'compare', op: suffix.op, opSpan: suffix.opSpan, left, right: suffix.right, span: this.join(left, suffix.right) };
      case 'known':
        return { kind: 'known', missing: suffix.missing, operand: left, span: this.spanFrom(left?.span) };
      case 'in':
        return { kind: 'in', negated: suffix.negated, left, list: suffix.list, span: this.join(left, suffix.list) };
      case 'contains':
        return { kind: 'contains', left, right: suffix.right, span: this.join(left, suffix.right) };
    }
  }

  private compareOp = this.RULE('compareOp', (): IToken =>
    this.OR(this.alts.compareOp ??= [
      {
        ALT: () => {
          const tok = this.CONSUME(T.Assign);
          this.ACTION(() => this.lenient.push({
            span: tokenSpan(tok), message: '`=` assigns a value; to compare, write `==` or `is`',
            help: 'write `==` (or `is`) here', fix: '==',
          }));
          return { ...tok, image: '==' };
        },
      },
      { ALT: () => this.CONSUME(T.EqEq) },
      { ALT: () => this.CONSUME(T.NotEq) },
      { ALT: () => this.CONSUME(T.Le) },
      { ALT: () => this.CONSUME(T.Ge) },
      { ALT: () => this.CONSUME(T.Lt) },
      { ALT: () => this.CONSUME(T.Gt) },
    ]));

  /** An operand; with `arith`, a chain of `+ - * /` folded with the usual precedence. */
  private operand = this.recovering('operand', (arith: boolean): A.Expr => {
    const first = this.SUBRULE(this.primary);
    let operands: A.Expr[] | undefined;
    let ops: A.ArithOp[] | undefined;
    this.MANY({
      // outside parentheses, an operator on the same line is still read (and reported), so that
      // `fit + engagement >= 80` gets one clear error; a `+`/`-` opening the next line is a new rule
      GATE: () => arith === true || (this.isArithOp(this.LA(1)) && this.LA(1).startLine === this.LA(0).endLine && !this.startsScoreRule()),
      DEF: () => {
        const op = this.OR(this.alts.arithOp ??= [
          { ALT: () => this.CONSUME(T.Plus) },
          { ALT: () => this.CONSUME(T.Minus) },
          { ALT: () => this.CONSUME(T.Star) },
          { ALT: () => this.CONSUME(T.Slash) },
        ]);
        const right = this.SUBRULE1(this.primary);
        if (!arith) this.ACTION(() => this.reportBareArithmetic(first, right));
        (operands ??= [first]).push(right);
        (ops ??= []).push(op.image as A.ArithOp);
      },
    });
    return operands && ops ? this.foldArithmetic(operands, ops) : first;
  }, () => this.errorExpr());

  /** `+1 on …` / `-15 if …`: the next score rule, even on the same line. */
  private startsScoreRule(): boolean {
    const next = this.LA(3).tokenType;
    return this.LA(2).tokenType === T.NumberTok && (next === KW.on || next === T.KW.if);
  }

  private isArithOp(tok: IToken): boolean {
    const t = tok.tokenType;
    return t === T.Plus || t === T.Minus || t === T.Star || t === T.Slash;
  }

  private reportBareArithmetic(first: A.Expr, last: A.Expr): void {
    const span = this.join(first, last);
    if (this.lenient.some((l) => l.span.start === span.start)) return; // once per chain
    this.lenient.push({
      span, message: 'arithmetic in a condition must be in parentheses',
      help: 'write for example `(fit + engagement) >= 80`',
    });
  }

  /** `a + b * c` -> `a + (b * c)`: products first, then sums, left to right. */
  private foldArithmetic(operands: A.Expr[], ops: A.ArithOp[]): A.Expr {
    const terms: A.Expr[] = [operands[0]!];
    const sumOps: A.ArithOp[] = [];
    ops.forEach((op, i) => {
      const right = operands[i + 1]!;
      if (op === '*' || op === '/') {
        const left = terms.pop()!;
        terms.push({ kind: 'arith', op, left, right, span: this.join(left, right) });
      } else {
        terms.push(right);
        sumOps.push(op);
      }
    });
    return sumOps.reduce<A.Expr>((left, op, i) => {
      const right = terms[i + 1]!;
      return { kind: 'arith', op, left, right, span: this.join(left, right) };
    }, terms[0]!);
  }

  public primary = this.recovering('primary', (): A.Expr =>
    this.OR<A.Expr>(this.alts.primary ??= [
      { GATE: () => !this.startsStatement(), ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.percentLit(this.CONSUME(T.PercentTok)) },
      { ALT: () => this.textLit(this.CONSUME(T.TextTok)) },
      { ALT: () => ({ kind: 'bool', value: true, span: tokenSpan(this.CONSUME(T.KW.true)) }) },
      { ALT: () => ({ kind: 'bool', value: false, span: tokenSpan(this.CONSUME(T.KW.false)) }) },
      { ALT: () => this.SUBRULE(this.dateOrDateTime) },
      { ALT: () => this.timeLit(this.CONSUME(T.TimeTok)) },
      { ALT: () => this.SUBRULE(this.list) },
      {
        ALT: () => {
          const start = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.orExpr, { ARGS: [true] });
          this.CONSUME(T.RParen);
          return { kind: 'paren', inner, span: spanOfTokens(start, this.LA(0)) };
        },
      },
      { ALT: () => this.SUBRULE(this.hasExpr) },
      { ALT: () => this.SUBRULE(this.receivedExpr) },
      {
        ALT: () => {
          const start = this.CONSUME(T.KW.in);
          this.CONSUME(KW.journey);
          return { kind: 'inJourney', journey: this.consumeName(), span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.LA(2).tokenType === KW.journey,
        ALT: () => {
          const start = this.CONSUME(KW.completed);
          this.CONSUME1(KW.journey);
          return { kind: 'completedJourney', journey: this.consumeName(1), span: spanOfTokens(start, this.LA(0)) };
        },
      },
      {
        GATE: () => this.LA(2).tokenType === KW.off,
        ALT: () => {
          const start = this.CONSUME(KW.handed);
          this.CONSUME(KW.off);
          const node: A.HandedOffExpr = { kind: 'handedOff', span: tokenSpan(start) };
          this.OPTION(() => {
            this.CONSUME(KW.to);
            node.queue = this.SUBRULE1(this.text);
          });
          node.span = spanOfTokens(start, this.LA(0));
          return node;
        },
      },
      {
        IGNORE_AMBIGUITIES: true,
        GATE: () => !this.startsStatement(),
        ALT: () => {
          const name = this.consumeName(2);
          return { kind: 'name', name, span: name.span };
        },
      },
    ]),
  () => this.errorExpr());

  private hasExpr = this.recovering('hasExpr', (): A.HasExpr => {
    const start = this.CONSUME(T.KW.has);
    const node: A.HasExpr = { kind: 'has', event: this.consumeName(), span: tokenSpan(start) };
    this.OPTION(() => {
      this.CONSUME(KW.where);
      node.where = this.SUBRULE(this.orExpr, { ARGS: [false] });
    });
    this.OPTION1({
      GATE: () => this.LA(2).tokenType === KW.least,
      DEF: () => {
        this.CONSUME(KW.at);
        this.CONSUME(KW.least);
        node.atLeast = this.SUBRULE(this.number);
        this.CONSUME(KW.times);
      },
    });
    this.OPTION2(() => {
      this.CONSUME(KW.within);
      node.within = this.SUBRULE(this.duration);
    });
    node.span = spanOfTokens(start, this.LA(0));
    return node;
  }, () => this.errorExpr() as never);

  private receivedExpr = this.recovering('receivedExpr', (): A.ReceivedExpr => {
    const start = this.CONSUME(T.KW.received);
    let anyOf = false;
    this.OPTION({
      GATE: () => this.LA(2).tokenType === KW.of,
      DEF: () => {
        this.CONSUME(KW.any);
        this.CONSUME(KW.of);
        anyOf = true;
      },
    });
    const node: A.ReceivedExpr = { kind: 'received', anyOf, target: this.consumeName(), span: tokenSpan(start) };
    this.OPTION1(() => {
      this.CONSUME(KW.within);
      node.within = this.SUBRULE(this.duration);
    });
    // test-only forms; `at` must stay on the same line, so that a following `at …` statement of a
    // test timeline is not taken for part of the expectation
    this.OPTION2({
      GATE: () => this.LA(2).tokenType === T.DateTok && this.LA(1).startLine === this.LA(0).endLine,
      DEF: () => {
        this.CONSUME(KW.at);
        node.at = this.SUBRULE(this.dateTime);
      },
    });
    this.OPTION3({
      GATE: () => this.LA(2).tokenType === KW.times,
      DEF: () => {
        node.times = this.SUBRULE(this.number);
        this.CONSUME(KW.times);
      },
    });
    node.span = spanOfTokens(start, this.LA(0));
    return node;
  }, () => this.errorExpr() as never);

  // --- literals ---------------------------------------------------------------------------------

  private number = this.recovering('number', (): A.NumberLit => {
    const tok = this.CONSUME(T.NumberTok);
    return { kind: 'number', value: numberValue(tok), raw: tok.image, span: tokenSpan(tok) };
  }, () => this.missingNumber());

  /** `30`, `+30`, `-15`. */
  private signedNumber = this.recovering('signedNumber', (): A.NumberLit => {
    let sign: IToken | undefined;
    this.OPTION(() => {
      sign = this.OR(this.alts.sign ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
    });
    const tok = this.CONSUME(T.NumberTok);
    const value = numberValue(tok);
    if (!sign) return { kind: 'number', value, raw: tok.image, span: tokenSpan(tok) };
    const negative = sign.image === '-';
    return {
      kind: 'number', value: negative ? -value : value, raw: (negative ? '-' : '+') + tok.image, span: spanOfTokens(sign, tok),
    };
  }, () => this.missingNumber());

  private percentLit(tok: IToken): A.PercentLit {
    return { kind: 'percent', value: typeof tok.payload === 'number' ? tok.payload : 0, raw: tok.image, span: tokenSpan(tok) };
  }
  private textLit(tok: IToken): A.TextLit {
    return { kind: 'text', value: typeof tok.payload === 'string' ? tok.payload : '', raw: tok.image, span: tokenSpan(tok) };
  }
  private timeLit(tok: IToken): A.TimeLit {
    const p = (tok.payload ?? { hour: 0, minute: 0 }) as { hour: number; minute: number };
    return { kind: 'time', hour: p.hour, minute: p.minute, raw: tok.image, span: tokenSpan(tok) };
  }

  private percent = this.recovering('percent', (): A.PercentLit => {
    return this.percentLit(this.CONSUME(T.PercentTok));
  }, () => this.missingPercent());

  private text = this.recovering('text', (): A.TextLit => {
    return this.textLit(this.CONSUME(T.TextTok));
  }, () => this.missingText());

  private time = this.recovering('time', (): A.TimeLit => {
    return this.timeLit(this.CONSUME(T.TimeTok));
  }, (): A.TimeLit => ({ kind: 'time', hour: 0, minute: 0, raw: '', span: this.here() }));

  private date = this.recovering('date', (): A.DateLit => {
    const tok = this.CONSUME(T.DateTok);
    const p = (tok.payload ?? { year: 2000, month: 1, day: 1 }) as { year: number; month: number; day: number };
    return { kind: 'date', year: p.year, month: p.month, day: p.day, raw: tok.image, span: tokenSpan(tok) };
  }, (): A.DateLit => ({ kind: 'date', year: 2000, month: 1, day: 1, raw: '', span: this.here() }));

  private dateTime = this.RULE('dateTime', (): A.DateTimeLit => {
    const date = this.SUBRULE(this.date);
    const time = this.SUBRULE(this.time);
    return { kind: 'datetime', date, time, span: this.join(date, time) };
  });

  /** A date, or a date-time when a time follows on the same line. */
  private dateOrDateTime = this.RULE('dateOrDateTime', (): A.DateLit | A.DateTimeLit => {
    const date = this.SUBRULE(this.date);
    let result: A.DateLit | A.DateTimeLit = date;
    this.OPTION(() => {
      const time = this.SUBRULE(this.time);
      result = { kind: 'datetime', date, time, span: this.join(date, time) };
    });
    return result;
  });

  private list = this.recovering('list', (): A.ListLit => {
    const start = this.CONSUME(T.LBracket);
    const items: A.Expr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.primary)) });
    this.CONSUME(T.RBracket);
    return { kind: 'list', items: items.filter((x) => x !== undefined), span: spanOfTokens(start, this.LA(0)) };
  }, (): A.ListLit => ({ kind: 'list', items: [], span: this.here() }));

  /** `7 days`, `1 month`; an unknown unit is reported as NUR003 by parse.ts. */
  private duration = this.recovering('duration', (): A.DurationLit => {
    const num = this.CONSUME(T.NumberTok);
    const unit = this.CONSUME(T.Name);
    return this.makeDuration(num, unit);
  }, () => this.missingDuration());

  /** After `per`: `7 days` or a bare unit (`per day` = one day). */
  private perDuration = this.recovering('perDuration', (): A.DurationLit => {
    this.CONSUME(KW.per);
    return this.OR(this.alts.perDuration ??= [
      { ALT: () => this.SUBRULE(this.duration) },
      { ALT: () => this.makeDuration(undefined, this.CONSUME(T.Name)) },
    ]);
  }, () => this.missingDuration());

  private makeDuration(num: IToken | undefined, unitTok: IToken): A.DurationLit {
    const amount = num ? numberValue(num) : 1;
    const d = durationOf(amount, unitTok.image);
    if (!d && unitTok.image !== '' && !unitTok.isInsertedInRecovery) this.ACTION(() => this.badUnits.push({ token: unitTok, amount }));
    const raw = num ? `${num.image} ${unitTok.image}` : unitTok.image;
    return { kind: 'duration', amount, unit: d?.unit ?? 'day', ms: d?.ms ?? 0, raw, span: spanOfTokens(num ?? unitTok, unitTok) };
  }

  // --- spans ------------------------------------------------------------------------------------

  /** From the start of `span` to the last consumed token. */
  private spanFrom(span: A.Span): A.Span {
    if (!span) return this.here(); // grammar recording phase: sub-rules return placeholders
    const end = spanOfTokens(this.LA(0), this.LA(0));
    return end.end >= span.end ? { ...span, end: end.end, endLine: end.endLine, endColumn: end.endColumn } : span;
  }

  private join(a: { span: A.Span }, b: { span: A.Span }): A.Span {
    const x = a?.span, y = b?.span;
    if (!x) return y;
    if (!y || y.end < x.end) return x;
    return { start: x.start, end: y.end, line: x.line, column: x.column, endLine: y.endLine, endColumn: y.endColumn };
  }
}

function numberValue(tok: IToken): number {
  return typeof tok.payload === 'number' ? tok.payload : Number(tok.image) || 0;
}
