/**
 * Messages between the guarded parser (main thread) and the YAML worker. The worker file runs under Node's type
 * stripping, so it imports this module for types only (erased at run time).
 */

/** What one document may hold before it is refused. */
export interface YamlLimits {
  /** Deepest nesting of collections (a deployment needs about 8 levels). */
  maxDepth: number;
  /** Longest single scalar, in characters. */
  maxScalarLength: number;
  /** Alias nodes (`*name`) written in the document (checked when positions are read). */
  maxAliases: number;
  /** Nodes of the document once its aliases are expanded (a billion laughs has 10^9). */
  maxExpandedNodes: number;
  /** Keys copied by merge keys (`<<`) over the whole document (js-yaml's own guard). */
  maxMergeKeys: number;
}

/**
 * `parse`: the value, fast (js-yaml), with no positions. `locate`: every node's path and offset (yaml's CST and
 * AST, several times slower), asked for only when there are errors to place.
 */
export interface YamlRequest {
  id: number;
  op: 'parse' | 'locate';
  text: string;
  limits: YamlLimits;
}

export type PathSegment = string | number;

/** A problem found by the YAML layer itself, at a character offset of the text. */
export interface YamlProblem {
  offset: number;
  message: string;
}

/** Every node's path and the offset it starts at (a pair's key, a list item's first character). */
export interface YamlLocations {
  paths: PathSegment[][];
  offsets: number[];
  /** Offsets where lines start, for turning offsets into lines and columns. */
  lineStarts: number[];
}

export type YamlReply =
  | { id: number; ok: true; value: unknown; locations?: YamlLocations }
  | {
      id: number;
      ok: false;
      problems: YamlProblem[];
      lineStarts: number[];
      /** Present when yaml could still compose the text, so a problem can be given the path it sits under. */
      locations?: YamlLocations;
    };

/** The worker's first message: its parsers are loaded, so a request's time is the parse's own from here on. */
export interface WorkerReady {
  ready: true;
}
