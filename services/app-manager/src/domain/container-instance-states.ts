/**
 * The order an instance's states follow at the broker. Its events can reach the app manager out of order (a retried
 * delivery, or the launch job recording the RPC's answer after the broker moved on), so a district's copy of an
 * instance only ever moves forward in it: a late `creating` never hides `running`.
 */
export const containerInstanceStateOrder = ['creating', 'starting', 'running', 'errored', 'terminating', 'terminated'];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Broker instances are uuids; anything else cannot be one a district launched. */
export const isContainerInstanceId = (id: string) => uuid.test(id);
