import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** CloudTrail records shaped as AWS documents them, with only the members cloudigrade reads and a few it ignores. */
export interface InstanceFacts {
  instanceId: string;
  imageId?: string;
  instanceType?: string;
  subnetId?: string;
}

export function ec2Record(
  eventName: string,
  at: string,
  instances: InstanceFacts[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventVersion: '1.05',
    userIdentity: { type: 'AssumedRole', accountId: '123456789012' },
    eventTime: at,
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    requestParameters: {},
    responseElements: {
      instancesSet: {
        items: instances.map((instance) => ({
          instanceId: instance.instanceId,
          ...(instance.imageId ? { imageId: instance.imageId } : {}),
          ...(instance.instanceType ? { instanceType: instance.instanceType } : {}),
          ...(instance.subnetId ? { subnetId: instance.subnetId } : {}),
          currentState: { code: 16, name: 'running' },
        })),
      },
    },
    eventID: randomUUID(),
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...extra,
  };
}

export function runInstances(at: string, instanceId: string, imageId: string, extra: Record<string, unknown> = {}) {
  return ec2Record(
    'RunInstances',
    at,
    [{ instanceId, imageId, instanceType: 't2.micro', subnetId: 'subnet-1' }],
    extra,
  );
}

export function powerOff(at: string, instanceId: string) {
  return ec2Record('StopInstances', at, [{ instanceId }]);
}

export function powerOn(at: string, instanceId: string) {
  return ec2Record('StartInstances', at, [{ instanceId }]);
}

export function openshiftTag(at: string, imageId: string, present: boolean) {
  return {
    eventTime: at,
    eventSource: 'ec2.amazonaws.com',
    eventName: present ? 'CreateTags' : 'DeleteTags',
    awsRegion: 'us-east-1',
    userIdentity: { accountId: '123456789012' },
    requestParameters: {
      resourcesSet: { items: [{ resourceId: imageId }] },
      tagSet: { items: [{ key: 'cloudigrade-ocp-present', value: '' }] },
    },
    responseElements: { _return: true },
    eventID: randomUUID(),
  };
}

export function cloudTrailFile(records: unknown[]): Buffer {
  return Buffer.from(JSON.stringify({ Records: records }));
}

export function gzippedCloudTrailFile(records: unknown[]): Buffer {
  return gzipSync(cloudTrailFile(records));
}
