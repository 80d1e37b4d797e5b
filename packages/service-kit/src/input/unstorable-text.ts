import type { ErrorDetail } from '@overcast/contracts';

/** A caller sending thousands of bad strings learns enough from the first ones. */
const maxDetails = 20;

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units: no `u` flag).
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemOf(text: string): string | undefined {
  // Postgres text cannot hold U+0000: the write fails with 22021, whichever row carried it.
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  // A lone surrogate has no UTF-8 form: the driver would store U+FFFD in its place, silently changing the value.
  if (loneSurrogate.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** Where a value sits: built into a path only when the value is at fault (paths of deep values are long). */
interface Place {
  parent: Place | null;
  segment: string;
  depth: number;
}

/**
 * Deeper than this, an object or array is refused: no body of the spec nests near it (an app's services' port
 * mappings are 4 levels), and JSON.stringify, which every RPC to a service runs, recurses — a body nested some
 * thousands of levels deep overflowed the stack on its way to the bus (found by the spec property test).
 */
export const maxInputDepth = 64;

/** At most this many characters of a path: the start says where, and a caller-made path must not bloat the answer. */
const maxPathLength = 200;

function pathOf(place: Place): string {
  const segments: string[] = [];
  for (let at: Place | null = place; at; at = at.parent) segments.push(at.segment);
  const path = segments.reverse().join('');
  return path.length > maxPathLength ? `${path.slice(0, maxPathLength)}…` : path;
}

/**
 * Every string in `value` (object values and array items) that Postgres text cannot store as given, and every
 * object or array nested deeper than `maxInputDepth`, each named by its path under `root`
 * (`body.instance_builds.site`, `query.env`, `body.tags[2]`). Walks with an explicit stack: a body nested a hundred
 * thousand levels deep must not overflow the call stack here either.
 */
export function findUnstorableText(value: unknown, root: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const pending: [unknown, Place][] = [[value, { parent: null, segment: root, depth: 0 }]];
  while (pending.length > 0 && details.length < maxDetails) {
    const [current, place] = pending.pop() as [unknown, Place];
    if (typeof current === 'string') {
      const message = problemOf(current);
      if (message) details.push({ path: pathOf(place), message });
    } else if (ArrayBuffer.isView(current)) {
      // Bytes (an uploaded file) are no text: walking a Buffer key by key took seconds per megabyte.
      continue;
    } else if (typeof current === 'object' && current !== null && place.depth >= maxInputDepth) {
      details.push({ path: pathOf(place), message: `is nested deeper than ${maxInputDepth} levels` });
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1)
        pending.push([current[index], { parent: place, segment: `[${index}]`, depth: place.depth + 1 }]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current).reverse())
        pending.push([child, { parent: place, segment: `.${key}`, depth: place.depth + 1 }]);
    }
  }
  return details;
}
