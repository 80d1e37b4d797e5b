import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { CloudTrailNotification, CloudTrailNotifications } from '../../domain/cloudtrail-notifications';

interface S3Notification {
  Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string } } }[];
}

function filesOf(body: string | undefined): { bucket: string; key: string }[] {
  try {
    const parsed = JSON.parse(body ?? '') as S3Notification;
    return (parsed.Records ?? []).flatMap((record) => {
      const bucket = record.s3?.bucket?.name;
      const key = record.s3?.object?.key;
      // S3 event notifications URL-encode keys (a space as '+').
      return bucket && key ? [{ bucket, key: decodeURIComponent(key.replace(/\+/g, ' ')) }] : [];
    });
  } catch {
    return [];
  }
}

/** CloudTrail's S3 notifications on an SQS queue (`{"Records": [{"s3": {bucket, object}}]}`), files read from S3. */
export function createSqsCloudTrailNotifications(options: {
  queueUrl: string;
  sqs: SQSClient;
  s3: S3Client;
}): CloudTrailNotifications {
  const { queueUrl, sqs, s3 } = options;
  return {
    async receive(): Promise<CloudTrailNotification[]> {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      return Messages.map((message) => ({
        files: filesOf(message.Body).map(({ bucket, key }) => ({
          name: `s3://${bucket}/${key}`,
          async open() {
            const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
            return Body as AsyncIterable<Uint8Array>;
          },
        })),
        async done() {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        },
      }));
    },
  };
}
