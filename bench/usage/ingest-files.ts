import { randomUUID } from 'node:crypto';

/** A power event row as the image inspector stores it, for the COPY ceiling (ids as the records name them). */
export interface EventRow {
  cloudInstanceId: string;
  cloudImageId: string | null;
  eventType: 'power_on' | 'power_off';
  occurredAt: string;
  subnet: string | null;
  instanceType: string | null;
  sourceEventId: string;
}

/**
 * `files` CloudTrail files of `recordsPerFile` records each: every instance runs, stops and starts again, so each
 * record is one power event; a quarter of the records are irrelevant (DescribeInstances), as real trails hold mostly
 * reads. Instances are numbered on from `firstInstance`, so each round's files name new ones. Returns the files and, for
 * the ceiling, the event rows they make.
 */
export function makeActivityLogs(files: number, recordsPerFile: number, firstInstance = 0) {
  const logs: Buffer[] = [];
  const rows: EventRow[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  let instanceNumber = firstInstance;
  for (let file = 0; file < files; file += 1) {
    const records: unknown[] = [];
    for (let index = 0; index < recordsPerFile; index += 1) {
      const at = new Date(start + (file * recordsPerFile + index) * 1000).toISOString();
      if (index % 4 === 3) {
        records.push({
          eventID: randomUUID(),
          eventTime: at,
          eventSource: 'ec2.amazonaws.com',
          eventName: 'DescribeInstances',
        });
        continue;
      }
      if (index % 4 === 0) instanceNumber += 1;
      const instanceId = `i-${instanceNumber.toString(16).padStart(17, '0')}`;
      const eventName = ['RunInstances', 'StopInstances', 'StartInstances'][index % 4] ?? 'RunInstances';
      const running = eventName === 'RunInstances';
      const imageId = `ami-${(instanceNumber % 50).toString(16).padStart(8, '0')}`;
      const eventID = randomUUID();
      records.push({
        eventVersion: '1.08',
        userIdentity: { type: 'AssumedRole', accountId: '123456789012' },
        eventTime: at,
        eventSource: 'ec2.amazonaws.com',
        eventName,
        awsRegion: 'us-east-1',
        responseElements: {
          instancesSet: {
            items: [
              running
                ? {
                    instanceId,
                    imageId,
                    instanceType: 'm5.large',
                    subnetId: 'subnet-1',
                  }
                : { instanceId },
            ],
          },
        },
        eventID,
      });
      rows.push({
        cloudInstanceId: instanceId,
        cloudImageId: running ? imageId : null,
        eventType: eventName === 'StopInstances' ? 'power_off' : 'power_on',
        occurredAt: at,
        subnet: running ? 'subnet-1' : null,
        instanceType: running ? 'm5.large' : null,
        sourceEventId: eventID,
      });
    }
    logs.push(Buffer.from(JSON.stringify({ Records: records })));
  }
  return { logs, rows, nextInstance: instanceNumber };
}
