/**
 * Messages between the guarded parser (main thread) and the YAML worker. The worker file runs under Node's type
 * stripping, so it imports this module for types only (erased at run time).
 */

/** What one document may hold before it is refused; every figure is checked before the YAML is composed. */
export interface YamlLimits {
  /** Deepest nesting of collections (a deployment needs about 8 levels). */
  maxDepth: number;
  /** Longest single scalar, in characters. */
  maxScalarLength: number;
  /** Alias nodes (`*name`) written in the document. */
  maxAliases: number;
  /** Nodes of the document once its aliases are expanded (a billion laughs has 10^9). */
  maxExpandedNodes: number;
  /** yaml's own alias-expansion budget for toJS (its guard against billion laughs and merge-key bombs). */
  maxAliasCount: number;
}

export interface YamlParseRequest {
  id: number;
  text: string;
  limits: YamlLimits;
}

export type PathSegment = string | number;

/** A problem found by the YAML layer itself, at a character offset of the text. */
export interface YamlProblem {
  offset: number;
  message: string;
}

export type YamlParseReply =
  | {
      id: number;
      ok: true;
      value: unknown;
      /** Every node's path and the offset it starts at (a pair's key, a list item's first character). */
      paths: PathSegment[][];
      offsets: number[];
      /** Offsets where lines start, for turning offsets into lines and columns. */
      lineStarts: number[];
    }
  | {
      id: number;
      ok: false;
      problems: YamlProblem[];
      lineStarts: number[];
      /** Present when the document could be composed, so a problem can be given the path it sits under. */
      paths?: PathSegment[][];
      offsets?: number[];
    };
