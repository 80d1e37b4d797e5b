import { appendPathSegment } from '../config-error';
import type { PositionMap } from '../positions';

export interface PositionedValue {
  value: unknown;
  positions: PositionMap;
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

function mergeAt(
  base: unknown,
  over: unknown,
  path: string,
  sources: [PositionMap, PositionMap],
  to: PositionMap,
): unknown {
  const [basePositions, overPositions] = sources;
  if (!isPlainMap(base) || !isPlainMap(over)) {
    copyPositions(over, path, overPositions, to);
    return over;
  }
  const position = overPositions.get(path) ?? basePositions.get(path);
  if (position) to.set(path, position);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    if (!(key in over)) {
      merged[key] = value;
      copyPositions(value, appendPathSegment(path, key), basePositions, to);
    }
  }
  for (const [key, value] of Object.entries(over)) {
    merged[key] = key in base ? mergeAt(base[key], value, appendPathSegment(path, key), sources, to) : value;
    if (!(key in base)) copyPositions(value, appendPathSegment(path, key), overPositions, to);
  }
  return merged;
}

/**
 * Photon's deep merge of an included document (`base`) under the including one (`over`): maps merge key by key,
 * the including file wins where both set a value, and lists and scalars are replaced whole. Each path keeps the
 * position of the file its value came from, so an error in merged content names the file that wrote it.
 */
export function mergeDocuments(base: PositionedValue, over: PositionedValue): PositionedValue {
  const positions: PositionMap = new Map();
  const value = mergeAt(base.value, over.value, '', [base.positions, over.positions], positions);
  return { value, positions };
}
