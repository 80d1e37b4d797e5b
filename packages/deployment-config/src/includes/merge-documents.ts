import { appendPathSegment } from '../config-error';
import type { PositionMap } from '../positions';
import type { LocatePositions } from '../read-document';

export interface PositionedValue {
  value: unknown;
  positions: LocatePositions;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies the positions of a subtree taken whole from one document. */
function copyPositions(value: unknown, path: string, from: PositionMap, to: PositionMap): void {
  const position = from.get(path);
  if (position) to.set(path, position);
  if (Array.isArray(value)) {
    value.forEach((item, index) => copyPositions(item, appendPathSegment(path, index), from, to));
  } else if (isPlainMap(value)) {
    for (const [key, item] of Object.entries(value)) copyPositions(item, appendPathSegment(path, key), from, to);
  }
}

interface PositionSources {
  base: PositionMap;
  over: PositionMap;
  merged: PositionMap;
}

/** The merged value; with `positions`, also where each of its paths was written. */
function mergeAt(base: unknown, over: unknown, path: string, positions?: PositionSources): unknown {
  if (!isPlainMap(base) || !isPlainMap(over)) {
    if (positions) copyPositions(over, path, positions.over, positions.merged);
    return over;
  }
  const position = positions && (positions.over.get(path) ?? positions.base.get(path));
  if (position) positions.merged.set(path, position);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    if (key in over) continue;
    merged[key] = value;
    if (positions) copyPositions(value, appendPathSegment(path, key), positions.base, positions.merged);
  }
  for (const [key, value] of Object.entries(over)) {
    const at = appendPathSegment(path, key);
    if (key in base) merged[key] = mergeAt(base[key], value, at, positions);
    else {
      merged[key] = value;
      if (positions) copyPositions(value, at, positions.over, positions.merged);
    }
  }
  return merged;
}

/**
 * Photon's deep merge of an included document (`base`) under the including one (`over`): maps merge key by key,
 * the including file wins where both set a value, and lists and scalars are replaced whole. Each path keeps the
 * position of the file its value came from (worked out when asked), so an error in merged content names the file
 * that wrote it.
 */
export function mergeDocuments(base: PositionedValue, over: PositionedValue): PositionedValue {
  let located: Promise<PositionMap> | undefined;
  return {
    value: mergeAt(base.value, over.value, ''),
    positions: () => {
      located ??= Promise.all([base.positions(), over.positions()]).then(([basePositions, overPositions]) => {
        const merged: PositionMap = new Map();
        mergeAt(base.value, over.value, '', { base: basePositions, over: overPositions, merged });
        return merged;
      });
      return located;
    },
  };
}
