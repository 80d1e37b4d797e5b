import { qualified, type Database } from '@overcast/db';
import { containerInstanceStateOrder } from '../domain/container-instance-states';
import type { AppStore } from '../domain/ports';

type ContainerInstanceStore = Pick<AppStore, 'recordContainerInstance' | 'advanceContainerInstance'>;

/** `$n`'s place in the state order (0 when unknown), for the statements' "only forward" conditions. */
const rankOf = (value: string, order: string) => `COALESCE(array_position(${order}::text[], ${value}), 0)`;

/** A district's copy of the broker's instances: recorded at launch, moved forward by the broker's events. */
export function createContainerInstanceStore(database: Database): ContainerInstanceStore {
  const instances = qualified(database.schema, 'container_instances');
  const districts = qualified(database.schema, 'districts');

  return {
    async recordContainerInstance(districtId, instance) {
      await database.pool.query(
        `INSERT INTO ${instances} AS i (id, district_id, instance_type, state, ip_address)
         VALUES ($1::uuid, $2::uuid, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, ip_address = COALESCE(EXCLUDED.ip_address, i.ip_address)
          WHERE ${rankOf('i.state', '$6')} < ${rankOf('EXCLUDED.state', '$6')}`,
        [
          instance.id,
          districtId,
          instance.instanceType,
          instance.state,
          instance.ipAddress,
          containerInstanceStateOrder,
        ],
      );
    },
    async advanceContainerInstance(change) {
      const result = await database.pool.query(
        `UPDATE ${instances} AS i SET state = $3, ip_address = COALESCE($4, i.ip_address)
           FROM ${districts} AS d
          WHERE i.id = $1::uuid AND d.id = i.district_id AND d.tenant_id = $2
            AND ${rankOf('i.state', '$5')} < ${rankOf('$3', '$5')}`,
        [change.id, change.tenantId, change.state, change.ipAddress, containerInstanceStateOrder],
      );
      return (result.rowCount ?? 0) > 0;
    },
  };
}
