import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteKeyPairCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  createAwsComputeProvider,
  createFakeComputeProvider,
  createGceComputeProvider,
  createLocalComputeProvider,
  createProviderRegistry,
  type ComputeProvider,
  type FakeComputeProvider,
  type LocalComputeProvider,
} from '@overcast/providers';
import { describeWithServices } from '@overcast/test-kit';
import {
  gceProject,
  gceZone,
  startComputeApiSimulator,
  type ComputeApiSimulator,
} from './support/compute-api-simulator';
import { startControlPlane, type ControlPlane } from './support/control-plane';
import { createEc2Simulator, type Ec2Simulator } from './support/ec2-simulator';
import {
  createInstance,
  deleteUntilGone,
  expectListed,
  patience,
  processExists,
  waitFor,
  waitUntilRunning,
} from './support/round-trip';

const sshPublicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvercastEndToEndTestKeyOnlyForTheSimulatedEc2 e2e@overcast';

describeWithServices('create → running → delete → terminated through the gateway, for every provider', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-e2e-round-trips-'));
  let ec2: Ec2Simulator;
  let computeApi: ComputeApiSimulator;
  let gce: ComputeProvider;
  let local: LocalComputeProvider;
  let fake: FakeComputeProvider;
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    ec2 = createEc2Simulator();
    computeApi = await startComputeApiSimulator([
      { name: 'debian-12-bookworm-v20261001', creationTimestamp: '2026-10-01T00:00:00.000-07:00' },
      { name: 'debian-12-bookworm-v20261101', creationTimestamp: '2026-11-01T00:00:00.000-07:00' },
    ]);
    gce = createGceComputeProvider({ projectId: gceProject, zone: gceZone, clientOptions: computeApi.clientOptions() });
    local = createLocalComputeProvider({
      dataDir,
      addressPrefix: '127.151',
      terminationGraceMs: 2_000,
      images: { 'debian-local': { description: 'a plain shell', roles: ['worker'] } },
    });
    fake = createFakeComputeProvider();
    const aws = createAwsComputeProvider({ region: 'eu-west-1', client: ec2.client });
    controlPlane = await startControlPlane(createProviderRegistry([aws, gce, local, fake]));
    // A cloud's images enter the catalog by registration; local's and the fake's are offered by the providers.
    const { images } = controlPlane.client;
    await images.register({ provider: 'aws', image_id: 'ami-0123456789abcdef0', role: 'worker', name: 'worker AMI' });
    await images.register({ provider: 'gce', image_id: 'debian-12', role: 'worker', name: 'Debian 12, newest' });
  });

  afterAll(async () => {
    await controlPlane?.stop();
    await gce?.close?.();
    await local?.close?.();
    await computeApi?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('aws: launches with the Overcast id as ClientToken, its tags and its SSH key pair, and terminates the EC2 instance and key pair', async () => {
    const created = await createInstance(controlPlane, {
      provider: 'aws',
      image: 'ami-0123456789abcdef0',
      instance_type: 'standard',
      role: 'worker',
      public_ssh_key: sshPublicKey,
    });
    const running = await waitUntilRunning(controlPlane, created.id);

    const tags = [
      { Key: 'Name', Value: `overcast-${created.id}` },
      { Key: 'role', Value: 'worker' },
      { Key: 'overcast-id', Value: created.id },
    ];
    expect(ec2.inputsOf(RunInstancesCommand)).toEqual([
      {
        ClientToken: created.id,
        ImageId: 'ami-0123456789abcdef0',
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        KeyName: `overcast-${created.id}`,
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tags },
          { ResourceType: 'volume', Tags: tags },
        ],
      },
    ]);
    const launched = ec2.instanceFor(created.id);
    expect(running.upstream_id).toBe(launched?.InstanceId);
    expect(running.ip_address).toBe(launched?.PublicIpAddress);
    await expectListed(controlPlane, 'aws', created.id);

    await deleteUntilGone(controlPlane, created.id);
    expect(ec2.inputsOf(TerminateInstancesCommand)).toEqual([{ InstanceIds: [launched?.InstanceId] }]);
    // The instance's SSH key was imported as a per-instance key pair, and goes with it.
    expect(
      ec2
        .inputsOf(ImportKeyPairCommand)
        .map((input) => [input.KeyName, new TextDecoder().decode(input.PublicKeyMaterial)]),
    ).toEqual([[`overcast-${created.id}`, sshPublicKey]]);
    expect(ec2.inputsOf(DeleteKeyPairCommand)).toEqual([{ KeyName: `overcast-${created.id}` }]);
    expect(ec2.keyPairs()).toEqual([]);
    // The API answers terminated once EC2 accepted the termination; EC2 finishes shutting down after that.
    await waitFor(
      'EC2 to report the instance terminated',
      () => ec2.instanceFor(created.id)?.State?.Name === 'terminated',
      patience,
    );
  });

  it('gce: inserts overcast-<id> with the Overcast id as requestId from the newest image, and deletes it', async () => {
    const created = await createInstance(controlPlane, {
      provider: 'gce',
      image: 'debian-12',
      instance_type: 'premium',
    });
    const running = await waitUntilRunning(controlPlane, created.id);

    const name = `overcast-${created.id}`;
    expect(computeApi.inserts).toEqual([
      {
        requestId: created.id,
        body: expect.objectContaining({
          name,
          machineType: `zones/${gceZone}/machineTypes/n1-standard-4`,
          labels: { 'overcast-id': created.id },
          disks: [
            expect.objectContaining({
              initializeParams: expect.objectContaining({
                sourceImage: `projects/${gceProject}/global/images/debian-12-bookworm-v20261101`,
              }),
            }),
          ],
        }),
      },
    ]);
    expect(running.upstream_id).toBe(computeApi.vm(name)?.id);
    expect(running.ip_address).toBe(computeApi.vm(name)?.natIp);
    await expectListed(controlPlane, 'gce', created.id);

    await deleteUntilGone(controlPlane, created.id);
    // The API answers terminated once GCE accepted the delete; the VM is gone once it stopped.
    expect(computeApi.deletes).toEqual([name]);
    await waitFor('GCE to delete the VM', () => computeApi.vm(name)?.deleted === true, patience);
  });

  it('local: runs a real process on its own 127.x address and kills it on delete', async () => {
    const created = await createInstance(controlPlane, {
      provider: 'local',
      image: 'debian-local',
      instance_type: 'standard',
    });
    const running = await waitUntilRunning(controlPlane, created.id);

    expect(running.ip_address).toMatch(/^127\.151\.\d+\.\d+$/);
    const pid = Number(running.upstream_id);
    expect(processExists(pid)).toBe(true);
    await expectListed(controlPlane, 'local', created.id);

    await deleteUntilGone(controlPlane, created.id);
    // The API answers terminated once the provider took the termination (SIGTERM sent); the local provider
    // reports terminated once the process has exited, which may be a little later.
    const terminated = await waitFor(
      'the local provider to report the instance terminated',
      async () => {
        const instance = await local.getInstance(created.id);
        return instance?.state === 'terminated' && instance;
      },
      patience,
    );
    expect(terminated.state).toBe('terminated');
    await waitFor(`process ${pid} to be gone`, () => !processExists(pid), patience);
  });

  it('fake: goes through the same life cycle in memory', async () => {
    const created = await createInstance(controlPlane, {
      provider: 'fake',
      image: 'standard-image',
      instance_type: 'standard',
    });
    const running = await waitUntilRunning(controlPlane, created.id);

    const held = await fake.getInstance(created.id);
    expect(running.upstream_id).toBe(held?.upstreamId);
    await expectListed(controlPlane, 'fake', created.id);

    await deleteUntilGone(controlPlane, created.id);
    expect(fake.calls.terminateInstance).toBe(1);
    expect((await fake.getInstance(created.id))?.state).toBe('terminated');
  });
});
