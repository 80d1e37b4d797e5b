import type { OvercastClient } from '../src';
import { createClient } from '../src';
import type { SpecCheckedServer } from './support/spec-checked-server';
import { startSpecCheckedServer } from './support/spec-checked-server';

describe('client.builds and client.images against a gateway answering per the spec', () => {
  let gateway: SpecCheckedServer;
  let admin: OvercastClient;

  beforeEach(async () => {
    gateway = await startSpecCheckedServer();
    admin = createClient({ baseUrl: gateway.server.url, token: gateway.server.adminToken, fetch: gateway.fetch });
  });
  afterEach(async () => {
    await gateway.server.close();
    expect(gateway.problems).toEqual([]);
  });

  it('registers, lists and activates images, keeping one active per provider and role', async () => {
    const first = await admin.images.register({
      provider: 'local',
      image_id: 'img-1',
      role: 'worker',
      name: 'w1',
      active: true,
    });
    const second = await admin.images.register({ provider: 'local', image_id: 'img-2', role: 'worker', name: 'w2' });
    expect((await admin.images.list({ active: true })).map((image) => image.image_id)).toEqual(['img-1']);
    expect(await admin.images.activate(second.id)).toMatchObject({ id: second.id, active: true });
    expect((await admin.images.list({ active: false, role: 'worker' })).map((image) => image.id)).toEqual([first.id]);
    expect(gateway.server.requests.at(-1)?.url).toBe('/images?role=worker&active=false');
  });

  it('starts a build on the active image of its role and reads it back', async () => {
    await admin.images.register({ provider: 'local', image_id: 'img-1', role: 'worker', name: 'w1', active: true });
    const build = await admin.builds.create(
      { site: 'org', env: 'staging', instance_type: 'standard', count: 2, queue: 'docker', role: 'worker' },
      { slackChannel: 'ops' },
    );
    expect(build).toMatchObject({
      state: 'pending',
      image: 'img-1',
      provider: 'local',
      slack_channel: 'ops',
      instance_ids: [],
    });
    expect(await admin.builds.get(build.id)).toEqual(build);
  });

  it('lists every validation error of a build at once', async () => {
    const input = { site: '', env: '', instance_type: 'standard', count: 0, queue: 'docker', role: 'worker' } as const;
    await expect(admin.builds.create(input)).rejects.toMatchObject({
      status: 400,
      details: [
        { path: 'body.instance_builds.site', message: 'empty "site" param' },
        { path: 'body.instance_builds.env', message: 'empty "env" param' },
        { path: 'body.instance_builds.count', message: 'count must be more than 0' },
      ],
      body: expect.objectContaining({
        errors: [
          { details: 'empty "site" param' },
          { details: 'empty "env" param' },
          { details: 'count must be more than 0' },
        ],
      }),
    });
  });

  it('reports build progress form-encoded, acting only on finished', async () => {
    const build = await admin.builds.create({
      site: 'org',
      env: 'test',
      instance_type: 'premium',
      count: 1,
      queue: 'docker',
      role: 'worker',
      image: 'img-9',
    });
    expect(await admin.builds.reportProgress(build.id, { state: 'started' })).toBe(false);
    expect(
      await admin.builds.reportProgress(build.id, {
        state: 'finished',
        instanceId: 'i-abcd1234',
        slackChannel: 'general',
      }),
    ).toBe(true);
    const patch = gateway.server.requests.at(-1);
    expect(patch?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(patch?.body).toBe('state=finished&instance-id=i-abcd1234&slack-channel=general');
    expect(gateway.server.state.notifications).toEqual([
      `#general: Finished starting instance \`i-abcd1234\` for instance build *${build.id}*`,
    ]);
  });

  it('fetches the init script as text', async () => {
    const build = await admin.builds.create({
      site: 'org',
      env: 'test',
      instance_type: 'standard',
      count: 1,
      queue: 'docker',
      role: 'worker',
      ami: 'ami-1',
    });
    expect(await admin.builds.getInitScript(build.id)).toBe(
      '#!/usr/bin/env bash\necho "booting worker for org/test/docker"\n',
    );
  });
});
