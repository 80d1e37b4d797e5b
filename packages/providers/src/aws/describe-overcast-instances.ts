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

/** Every instance carrying the Overcast tag, whatever its value. */
export function describeAllOvercastInstances(client: EC2Client): Promise<Instance[]> {
  return describeAll(client, [{ Name: 'tag-key', Values: [OVERCAST_ID_TAG] }]);
}
