import { InstanceState, InstanceType } from '@overcast/contracts';
import { CamelCasePlugin, Kysely, PostgresDialect, type Dialect } from 'kysely';
import type { InstanceRecord } from '../domain/records';
import type { AutoscalingGroupBuild as AutoscalingGroupBuildRow } from '../generated/prisma/client';
import { preparingPool } from './preparing-pool';
import type { Pool } from 'pg';

/** A row of `idempotency_keys`: POST /instances' Idempotency-Key, per tenant, and the instance it created. */
export interface IdempotencyKeyRow {
  tenantId: string;
  key: string;
  /** SHA-256 of the request's fields that shape the instance: the same key with another request is a conflict. */
  requestHash: string;
  instanceId: string;
  createdAt: Date;
}

/**
 * The tables whose SQL is built by Kysely (camelCase here, snake_case in Postgres through Kysely's
 * CamelCasePlugin): `instances`, whose row is the domain's InstanceRecord, and `idempotency_keys`, written in the
 * same statement as the instance it names. Prisma's schema does not declare them (its other tables stay Prisma's).
 */
export interface InstanceTables {
  instances: InstanceRecord;
  idempotencyKeys: IdempotencyKeyRow;
  /** Prisma's table (written there); read here only to leave the groups' instances to their groups' sync. */
  autoscalingGroupInstances: { instanceId: string };
  /** Prisma's table (written there); read here only for whether a build's instance made a group (instance-reads.ts). */
  autoscalingGroupBuilds: Pick<AutoscalingGroupBuildRow, 'instanceId' | 'state' | 'step'>;
}

/**
 * The Postgres type of every column of `instances`: the statements that send whole rows as one array per column
 * (`unnest`) cast each array by it. `satisfies` keeps it complete: a field added to the record and not here
 * (or the other way round) is a compile error.
 */
export const instanceColumnTypes = {
  id: 'uuid',
  tenantId: 'text',
  provider: 'text',
  image: 'text',
  instanceType: 'text',
  publicSshKey: 'text',
  state: 'text',
  ipAddress: 'text',
  upstreamId: 'text',
  errorReason: 'text',
  env: 'text',
  site: 'text',
  role: 'text',
  queue: 'text',
  instanceBuildId: 'uuid',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
} as const satisfies Record<keyof InstanceRecord, 'uuid' | 'text' | 'timestamptz'>;

export type InstanceColumn = keyof typeof instanceColumnTypes;

/** Every column, in the table's order: what the reads select (never `*`, so a prepared statement survives a new column). */
export const instanceColumns = Object.keys(instanceColumnTypes) as InstanceColumn[];

/** Parsing the enums on the way out means a bad row fails loudly here, not somewhere downstream. */
export function toInstanceRecord(row: InstanceRecord): InstanceRecord {
  return { ...row, state: InstanceState.parse(row.state), instanceType: InstanceType.parse(row.instanceType) };
}

/**
 * The service's Kysely over a dialect. Table names go unqualified: every connection of the service's Database
 * starts with `search_path` set to its schema (connectDatabase), Prisma's transactions included, so they name the
 * service's tables; Kysely's WithSchemaPlugin would copy every statement's tree once more, as much CPU as the rest
 * of Kysely's work on a statement (bench/README.md). Functions of the migrations are named with their schema.
 */
export function instanceTablesKysely(dialect: Dialect): Kysely<InstanceTables> {
  return new Kysely<InstanceTables>({ dialect, plugins: [new CamelCasePlugin()] });
}

/** Kysely on the service's own pool (outside transactions): the broker's hot reads and single-statement writes. */
export function instanceTablesOnPool(pool: Pool): Kysely<InstanceTables> {
  return instanceTablesKysely(new PostgresDialect({ pool: preparingPool(pool) }));
}
