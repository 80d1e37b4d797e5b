import { formatPath } from './config-error';
import type { PathSegment } from './yaml/worker-protocol';

export interface Position {
  source: string;
  line: number;
  column: number;
}

/** Where each path of a (possibly merged) document was written. */
export type PositionMap = Map<string, Position>;

/** Line and column (1-based) of an offset, by binary search over the offsets where lines start. */
export function lineAndColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

export function buildPositionMap(
  source: string,
  paths: readonly PathSegment[][],
  offsets: readonly number[],
  lineStarts: readonly number[],
): PositionMap {
  const positions: PositionMap = new Map();
  paths.forEach((path, index) => {
    positions.set(formatPath(path), { source, ...lineAndColumn(lineStarts, offsets[index] ?? 0) });
  });
  return positions;
}

/** The position of a path, or of its nearest ancestor that was written (a missing key points at its parent). */
export function positionOf(positions: PositionMap, segments: readonly PathSegment[], fallback: Position): Position {
  for (let length = segments.length; length >= 0; length -= 1) {
    const found = positions.get(formatPath(segments.slice(0, length)));
    if (found) return found;
  }
  return fallback;
}

/** The deepest written path at or before an offset: where a YAML-level problem (a duplicate key) sits. */
export function pathAtOffset(paths: readonly PathSegment[][], offsets: readonly number[], offset: number): string {
  let best = -1;
  offsets.forEach((start, index) => {
    if (start > offset) return;
    const bestStart = offsets[best] ?? -1;
    if (start > bestStart || (start === bestStart && (paths[index]?.length ?? 0) > (paths[best]?.length ?? 0))) {
      best = index;
    }
  });
  return best === -1 ? '' : formatPath(paths[best] ?? []);
}
