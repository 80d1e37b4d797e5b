import type { BusNames } from './bus-names';

export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * A named statement: pg prepares it once per connection, so Postgres parses and plans it once instead of on every
 * call, which is a large share of the cost of these small statements. The name carries the schema because on one
 * connection a name must always mean the same text.
 */
export function preparedStatement(names: BusNames, name: string, text: string): PreparedStatement {
  return { name: `${names.schema}.${name}`, text };
}
