import type { EC2Client, Filter, Instance } from '@aws-sdk/client-ec2';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { OVERCAST_ID_TAG } from '../core/compute';
import { callEc2 } from './ec2-errors';

/** Every page of DescribeInstances for the filters, flattened out of its reservations. */
async function describeAll(client: EC2Client, filters: Filter[]): Promise<Instance[]> {
  const instances: Instance[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callEc2('DescribeInstances', () =>
      client.send(
        new DescribeInstancesCommand({
          Filters: filters,
          MaxResults: 1000,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return instances;
}

/** Instances tagged with this Overcast id (normally one; terminated ones linger for about an hour). */
export function describeInstancesById(client: EC2Client, id: string): Promise<Instance[]> {
  return describeAll(client, [{ Name: `tag:${OVERCAST_ID_TAG}`, Values: [id] }]);
}

/** EC2's limit on the values of one filter. */
const filterValuesLimit = 200;

/**
 * The instances with these EC2 ids, whatever their tags. A filter, not InstanceIds: an id EC2 no longer knows is
 * left out instead of failing the whole call.
 */
export async function describeInstancesByUpstreamIds(client: EC2Client, ids: readonly string[]): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let start = 0; start < ids.length; start += filterValuesLimit) {
    const values = ids.slice(start, start + filterValuesLimit);
    instances.push(...(await describeAll(client, [{ Name: 'instance-id', Values: values }])));
  }
  return instances;
}

/** Every instance carrying the Overcast tag, whatever its value. */
export function describeAllOvercastInstances(client: EC2Client): Promise<Instance[]> {
  return describeAll(client, [{ Name: 'tag-key', Values: [OVERCAST_ID_TAG] }]);
}
