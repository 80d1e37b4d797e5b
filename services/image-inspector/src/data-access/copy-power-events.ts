import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { qualified } from '@overcast/db';
import type { PowerEventType } from '@overcast/contracts';

/** A power event row with its instance and image resolved to their ids. */
export interface ResolvedPowerEvent {
  instanceId: number;
  machineImageId: number | null;
  eventType: PowerEventType;
  occurredAt: Date;
  subnet: string | null;
  instanceType: string | null;
  sourceEventId: string;
}

// COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped; null is \N.
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const special = /[\\\t\n\r]/g;

function field(value: string | null): string {
  return value === null ? '\\N' : value.replace(special, (character) => escapes[character] ?? character);
}

function linesOf(tenantId: string, events: ResolvedPowerEvent[]): string {
  const tenant = field(tenantId);
  let lines = '';
  for (const event of events) {
    lines +=
      `${tenant}\t${event.instanceId}\t${event.machineImageId ?? '\\N'}\t${event.eventType}\t` +
      `${event.occurredAt.toISOString()}\t${field(event.subnet)}\t${field(event.instanceType)}\t` +
      `${field(event.sourceEventId)}\n`;
  }
  return lines;
}

/**
 * COPYs events straight into power_events: the cheapest way in, with no ON CONFLICT. The caller makes sure none is
 * there already (record-activity.ts: under the account's lock, eventIDs already stored are left out first); should
 * one be, the unique (instance_id, source_event_id) index fails the COPY and with it the file, never adding it twice.
 */
export async function copyPowerEvents(
  client: PoolClient,
  schema: string,
  tenantId: string,
  events: ResolvedPowerEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const columns =
    'tenant_id, instance_id, machine_image_id, event_type, occurred_at, subnet, instance_type, source_event_id';
  const copying = client.query(copyFrom(`COPY ${qualified(schema, 'power_events')} (${columns}) FROM STDIN`));
  await pipeline(Readable.from([linesOf(tenantId, events)]), copying);
}
