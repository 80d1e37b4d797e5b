import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { InstanceTables } from './instances-table';

/** Where a statement built once takes a value of each call: Kysely numbers it like any value. */
class Slot {
  constructor(readonly name: string) {}
}

/** A value's place in a statement built once: typed as the value it stands for, so the builder is checked as usual. */
export type SlotOf = <T>(name: string) => T;

const slotOf: SlotOf = <T>(name: string) => new Slot(name) as unknown as T;

/**
 * A statement whose shape is the same on every call, built and compiled by Kysely once; each call binds its
 * values where Kysely numbered the slots standing for them, and runs it through Kysely (so its plugins map the
 * rows). Why: Kysely keeps no compiled form, and building the broker's hot statements anew on every call cost
 * more broker CPU than the rest of the work they serve (bench/README.md). `build` must hand each slot to Kysely
 * as a value, never look into it (its slots are not the values).
 */
export function compileOnce<Row>(
  db: Kysely<InstanceTables>,
  build: (slot: SlotOf) => Compilable<Row>,
): (values: Readonly<Record<string, unknown>>) => Promise<Row[]> {
  const compiled: CompiledQuery<Row> = build(slotOf).compile();
  return async (values) => {
    const parameters = compiled.parameters.map((parameter) => {
      if (!(parameter instanceof Slot)) return parameter;
      if (!(parameter.name in values)) throw new Error(`no value for ${parameter.name} of a statement built once`);
      return values[parameter.name];
    });
    return (await db.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
