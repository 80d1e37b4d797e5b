import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { createAwsComputeProvider } from './aws-compute-provider';
import { createMockedEc2 } from './testing/ec2-test-support';

describe('aws findNewestImage', () => {
  it('asks for own, active, available images of the role and picks the newest by CreationDate', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.on(DescribeImagesCommand).resolves({
      Images: [
        { ImageId: 'ami-old', Name: 'worker-2026-10-01', CreationDate: '2026-10-01T08:00:00.000Z', State: 'available' },
        { ImageId: 'ami-new', Name: 'worker-2026-11-01', CreationDate: '2026-11-01T08:00:00.000Z', State: 'available' },
        { ImageId: 'ami-mid', Name: 'worker-2026-10-15', CreationDate: '2026-10-15T08:00:00.000Z', State: 'available' },
      ],
    });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const image = await provider.findNewestImage('worker');

    expect(sent()).toEqual([
      {
        command: 'DescribeImagesCommand',
        input: {
          Owners: ['self'],
          Filters: [
            { Name: 'tag:role', Values: ['worker'] },
            { Name: 'tag-key', Values: ['active'] },
            { Name: 'state', Values: ['available'] },
          ],
        },
      },
    ]);
    expect(image).toEqual({
      id: 'ami-new',
      name: 'worker-2026-11-01',
      createdAt: new Date('2026-11-01T08:00:00.000Z'),
    });
  });

  it('answers null when no image matches', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(DescribeImagesCommand).resolves({ Images: [] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    expect(await provider.findNewestImage('web')).toBeNull();
  });
});
