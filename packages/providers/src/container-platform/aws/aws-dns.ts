import type { Change } from '@aws-sdk/client-route-53';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { ProviderError } from '../../core/compute';
import type { ContainerDistrict, ServiceKey } from '../container-platform';
import { recordNameOf } from '../names';
import { callAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';

function zoneIdOf(district: ContainerDistrict): string {
  if (district.privateHostedZoneId) return district.privateHostedZoneId;
  throw new ProviderError(`district ${district.name} has no private_hosted_zone_id`, {
    retryable: false,
    code: 'DISTRICT_INCOMPLETE',
  });
}

/** `<service>.<app>.<zone>` in the district's private hosted zone. */
export async function recordNameIn(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  key: ServiceKey,
): Promise<string> {
  const Id = zoneIdOf(district);
  const zone = await callAws('Route53 GetHostedZone', () => clients.route53.send(new GetHostedZoneCommand({ Id })));
  return recordNameOf(key, zone.HostedZone?.Name ?? '');
}

async function change(clients: AwsContainerClients, district: ContainerDistrict, changes: Change[]): Promise<void> {
  const HostedZoneId = zoneIdOf(district);
  await callAws('Route53 ChangeResourceRecordSets', () =>
    clients.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId, ChangeBatch: { Changes: changes } })),
  );
}

/** UPSERT: making the record again changes nothing, so a retried step never makes two. */
export async function upsertServiceRecord(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  name: string,
  target: string,
): Promise<void> {
  await change(clients, district, [
    {
      Action: 'UPSERT',
      ResourceRecordSet: { Name: name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: target }] },
    },
  ]);
}

/** DELETE must name the record exactly as it is: read it first; a record already gone is success. */
export async function deleteServiceRecord(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  key: ServiceKey,
): Promise<void> {
  if (!district.privateHostedZoneId) return;
  const name = await recordNameIn(clients, district, key);
  const listed = await callAws('Route53 ListResourceRecordSets', () =>
    clients.route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneIdOf(district),
        StartRecordName: name,
        StartRecordType: 'CNAME',
        MaxItems: 1,
      }),
    ),
  );
  const record = listed.ResourceRecordSets?.find((set) => set.Name === name && set.Type === 'CNAME');
  if (record) await change(clients, district, [{ Action: 'DELETE', ResourceRecordSet: record }]);
}
