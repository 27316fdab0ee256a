// The picture formats of `nurture graph`, apart from the renderers: the CLI's flag table needs them
// before anything heavy is loaded.
export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];
