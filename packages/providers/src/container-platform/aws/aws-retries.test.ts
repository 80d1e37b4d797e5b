import { Readable } from 'node:stream';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { HttpRequest } from '@smithy/protocol-http';
import { HttpResponse } from '@smithy/protocol-http';
import { createAwsContainerPlatform } from './aws-container-platform';
import type { AwsContainerClients } from './aws-container-clients';
import { district } from './testing/aws-container-mocks';

/**
 * The SDK's own retry strategy is what backs off on throttling, so these tests go through the client's real
 * middleware stack (aws-sdk-client-mock replaces `send` and would skip it): a request handler answers ECS's JSON
 * protocol with throttling errors, then success.
 */
function ecsAnswering(statuses: number[], maxAttempts: number) {
  const requests: HttpRequest[] = [];
  const client = new ECSClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        requests.push(request);
        const status = statuses[requests.length - 1] ?? 200;
        const body =
          status === 200
            ? { cluster: { clusterName: 'default', status: 'ACTIVE' } }
            : { __type: 'ThrottlingException', message: 'Rate exceeded' };
        return {
          response: new HttpResponse({
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          }),
        };
      },
    },
  });
  const platform = createAwsContainerPlatform({
    clientsFor: () => ({ ecs: client }) as unknown as AwsContainerClients,
  });
  return { cluster: platform.forDistrict(district), requests };
}

describe('aws throttling', () => {
  it('retries a throttled call with backoff until it succeeds', async () => {
    const { cluster, requests } = ecsAnswering([400, 400, 200], 3);

    await cluster.ensureCluster();

    expect(requests).toHaveLength(3);
    expect(
      requests.every(
        (request) => request.headers['x-amz-target'] === 'AmazonEC2ContainerServiceV20141113.CreateCluster',
      ),
    ).toBe(true);
  });

  it('gives up after maxAttempts with a retryable ProviderError naming ThrottlingException', async () => {
    const { cluster, requests } = ecsAnswering([400, 400, 400], 2);

    await expect(cluster.ensureCluster()).rejects.toMatchObject({
      name: 'ProviderError',
      retryable: true,
      code: 'ThrottlingException',
    });
    expect(requests).toHaveLength(2);
  });

  it('builds its own clients with the district credentials and the retry settings', async () => {
    const platform = createAwsContainerPlatform({ maxAttempts: 7 });
    const send = jest.spyOn(ECSClient.prototype, 'send').mockImplementation(async (command) => {
      expect(command).toBeInstanceOf(CreateClusterCommand);
      return {};
    });
    try {
      await platform.forDistrict(district).ensureCluster();
      const client = send.mock.contexts[0] as ECSClient;
      expect(await client.config.maxAttempts()).toBe(7);
      expect(await client.config.region()).toBe('ap-northeast-1');
      expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIDTEST' });
    } finally {
      send.mockRestore();
      await platform.close?.();
    }
  });
});
