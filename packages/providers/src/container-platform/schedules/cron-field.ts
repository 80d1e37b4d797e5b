/**
 * One field of a cron expression as the set of values it matches. Both cron dialects Overcast accepts (five-field
 * cron and EventBridge's `cron(…)`) are read into these sets and both are written back from them, so the local
 * scheduler and an EventBridge rule fire on the same minutes: a field means "the value is in the set", nothing else.
 */
export interface FieldSpec {
  /** As error messages name it: `minute`, `day-of-week`… */
  name: string;
  min: number;
  max: number;
  /** Names a value may be written as (`JAN`, `MON`), case-insensitive, to the number they stand for. */
  names?: Record<string, number>;
}

export class ScheduleSyntaxError extends Error {
  override name = 'ScheduleSyntaxError';
}

function valueOf(text: string, spec: FieldSpec): number {
  const named = spec.names?.[text.toUpperCase()];
  if (named !== undefined) return named;
  if (!/^\d{1,4}$/.test(text)) {
    const names = spec.names ? ` or a name (${Object.keys(spec.names).join(', ')})` : '';
    throw new ScheduleSyntaxError(`${spec.name} "${text}" is not a number${names}`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max)
    throw new ScheduleSyntaxError(`${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

/** `*`, `a`, `a-b`, each optionally `/step`, joined by commas: the values matched, in the field's own numbering. */
export function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^([^/]+)(?:\/(\d{1,4}))?$/.exec(item);
    if (!match?.[1]) throw new ScheduleSyntaxError(`${spec.name} "${text}" is not a list of values, ranges and steps`);
    const [base, stepText] = [match[1], match[2]];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new ScheduleSyntaxError(`${spec.name} step in "${item}" must be at least 1`);
    let first = spec.min;
    let last = spec.max;
    if (base !== '*') {
      const bounds = base.split('-');
      if (bounds.length > 2) throw new ScheduleSyntaxError(`${spec.name} "${item}" is not a value or a range`);
      first = valueOf(bounds[0] ?? '', spec);
      // `a/step` runs from a to the end of the field, as in both dialects.
      last = bounds.length === 2 ? valueOf(bounds[1] ?? '', spec) : stepText === undefined ? first : spec.max;
      if (last < first) throw new ScheduleSyntaxError(`${spec.name} range "${base}" runs backwards`);
    }
    for (let value = first; value <= last; value += step) values.add(value);
  }
  return values;
}

// How a progression that runs to the field's end is written: `*/15` and `5-59/15` in cron, `0/15` and `5/15` in
// EventBridge (the form its documentation gives).
export type FieldStyle = 'cron' | 'eventbridge';

/**
 * The set written with the forms both dialects read alike: `*` for every value, a progression that runs to the
 * field's end as a step (in the style's form), else values and `a-b` runs joined by commas.
 */
export function printField(values: Set<number>, spec: { min: number; max: number }, style: FieldStyle): string {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === spec.max - spec.min + 1) return '*';
  const first = sorted[0];
  const second = sorted[1];
  if (first !== undefined && second !== undefined && sorted.length > 2) {
    const step = second - first;
    const progression = sorted.every((value, index) => value === first + index * step);
    if (step > 1 && progression && (sorted.at(-1) ?? 0) + step > spec.max) {
      if (style === 'eventbridge') return `${first}/${step}`;
      return first === spec.min ? `*/${step}` : `${first}-${spec.max}/${step}`;
    }
  }
  const runs: string[] = [];
  for (let index = 0; index < sorted.length;) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end += 1;
    const [start, stop] = [sorted[index], sorted[end]];
    runs.push(start === stop ? String(start) : end === index + 1 ? `${start},${stop}` : `${start}-${stop}`);
    index = end + 1;
  }
  return runs.join(',');
}
