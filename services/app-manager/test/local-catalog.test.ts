import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createAppRpc,
  createDistrictRpc,
  getAppRpc,
  listAppEventsRpc,
  listReleasesRpc,
  rollbackReleaseRpc,
  setEnvVarsRpc,
  updateAppRpc,
} from '@overcast/contracts';
import { createContainerPlatforms } from '../src/container-platforms';
import { createAppManagerEnvironment, eventually, type AppManagerEnvironment } from './support/app-manager-environment';

// The operator's LOCAL_IMAGES_FILE (the instance broker's catalog) with one more image than the sample hello-web:
// a tiny program that records each task it runs as (its arguments, its GREETING), then stays up as a worker does.
const work = mkdtempSync(path.join(tmpdir(), 'app-manager-catalog-'));
const ranDir = path.join(work, 'ran');
const program = path.join(work, 'note-worker.mjs');
const imagesFile = path.join(work, 'images.json');
const tenantId = 'tenant-catalog';
let env: AppManagerEnvironment;
let replica: Awaited<ReturnType<AppManagerEnvironment['startReplica']>>;

beforeAll(async () => {
  writeFileSync(
    program,
    [
      "import { mkdirSync, writeFileSync } from 'node:fs';",
      `mkdirSync(${JSON.stringify(ranDir)}, { recursive: true });`,
      'const words = process.argv.slice(2).join(" ");',
      `writeFileSync(${JSON.stringify(ranDir)} + "/" + process.env.OVERCAST_TASK_ID, words + "|" + process.env.GREETING);`,
      'setInterval(() => undefined, 60_000);',
    ].join('\n'),
  );
  writeFileSync(
    imagesFile,
    JSON.stringify({
      'note-worker': { description: 'records its tasks', entrypoint: [process.execPath, program] },
      'debian-local': { description: 'boots instances only: no entrypoint', shell: '/bin/sh' },
    }),
  );
  const platforms = createContainerPlatforms({ names: 'local', localImagesFile: imagesFile });
  env = await createAppManagerEnvironment({ platforms: [platforms.get('local')] });
  replica = await env.startReplica();
  await env.client.call(createDistrictRpc, { tenantId, name: 'here', provider: 'local' });
  await env.client.call(createDistrictRpc, { tenantId, name: 'elsewhere', provider: 'fake' });
});
afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

const worker = (name: string, imageName: string | null, district = 'here') => ({
  tenantId,
  district,
  name,
  image_name: imageName,
  env_vars: { GREETING: 'from the catalog' },
  services: [{ name: 'worker', command: 'note this', cpu: 128, memory: 128 }],
});

describe("local districts run the operator's catalog (LOCAL_IMAGES_FILE)", () => {
  it("deploys an app of the catalog's image and runs its task", async () => {
    await env.client.call(createAppRpc, worker('notes', 'note-worker'));
    const shown = await eventually(async () => {
      const app = await env.client.call(getAppRpc, { tenantId, app: 'notes' });
      return app.deploy_state !== 'running' ? app : undefined;
    }, 20_000);
    expect(shown.deploy_state).toBe('done');
    const notes = await eventually(async () => {
      const files = readdirSync(ranDir, { withFileTypes: true }).filter((entry) => entry.isFile());
      return files.length > 0 ? files.map((file) => readFileSync(path.join(ranDir, file.name), 'utf8')) : undefined;
    });
    expect(notes).toEqual(['note this|from the catalog']);
  });

  it('refuses at create, with 422 naming image_name, an image the catalog lacks or cannot run', async () => {
    for (const imageName of ['nginx', 'debian-local', null]) {
      await expect(env.client.call(createAppRpc, worker(`refused-${imageName}`, imageName))).rejects.toMatchObject({
        code: 'unprocessable',
        details: [{ path: 'body.image_name' }],
      });
    }
    await expect(env.client.call(getAppRpc, { tenantId, app: 'refused-nginx' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps the sample hello-web beside the catalog', async () => {
    const app = await env.client.call(createAppRpc, { ...worker('hello', 'hello-web'), services: [] });
    expect(app.image_name).toBe('hello-web');
  });

  it('refuses a PATCH to an image the catalog lacks, and the app keeps its image', async () => {
    await expect(env.client.call(updateAppRpc, { tenantId, app: 'hello', image_name: 'ubuntu' })).rejects.toMatchObject(
      { code: 'unprocessable', details: [{ path: 'body.image_name' }] },
    );
    expect((await env.client.call(getAppRpc, { tenantId, app: 'hello' })).image_name).toBe('hello-web');
  });

  it('leaves other providers any image name', async () => {
    const app = await env.client.call(createAppRpc, worker('pulled', 'nginx', 'elsewhere'));
    expect(app.image_name).toBe('nginx');
    await expect(env.client.call(createAppRpc, worker('lost', 'nginx', 'nowhere'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a rollback to a release whose image has left the catalog, with 422 naming the image', async () => {
    await env.client.call(createAppRpc, worker('rolled', 'note-worker'));
    await env.client.call(createAppRpc, worker('stranded', 'note-worker'));
    await env.client.call(updateAppRpc, {
      tenantId,
      app: 'rolled',
      image_name: 'hello-web',
      services: [{ name: 'worker', command: 'sleep 600' }],
    });
    // The operator drops note-worker from LOCAL_IMAGES_FILE and restarts the app manager.
    const trimmed = path.join(work, 'trimmed-images.json');
    writeFileSync(
      trimmed,
      JSON.stringify({ 'debian-local': { description: 'boots instances only', shell: '/bin/sh' } }),
    );
    await replica.stop();
    const restarted = createContainerPlatforms({ names: 'local', localImagesFile: trimmed });
    replica = await env.startReplica({ platforms: [restarted.get('local')] });

    const message =
      'unknown image "note-worker" for provider "local" (the local catalog\'s runnable images: hello-web)';
    await expect(env.client.call(rollbackReleaseRpc, { tenantId, app: 'rolled', version: 1 })).rejects.toMatchObject({
      code: 'unprocessable',
      message,
      details: [{ path: 'path.version', message }],
    });
    const { releases } = await env.client.call(listReleasesRpc, { tenantId, app: 'rolled' });
    expect(releases.map((release) => release.version)).toEqual([2, 1]);
    // An app left on the lost image fails its next deploy at once, naming the image, instead of retrying it.
    await env.client.call(setEnvVarsRpc, { tenantId, app: 'stranded', env_vars: { GREETING: 'again' } });
    await eventually(async () => {
      const app = await env.client.call(getAppRpc, { tenantId, app: 'stranded' });
      return app.release === 2 && app.deploy_state === 'failed' ? app : undefined;
    });
    const { events } = await env.client.call(listAppEventsRpc, { tenantId, app: 'stranded' });
    expect(events[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(
        /^Deploying worker\(note-worker:latest\) failed: local image "note-worker" cannot run app tasks.*Stopped deploying\.$/,
      ),
    });
    // A release whose image the catalog still runs rolls back as before.
    await expect(env.client.call(rollbackReleaseRpc, { tenantId, app: 'rolled', version: 2 })).resolves.toMatchObject({
      version: 3,
      image: 'hello-web:latest',
    });
  });
});
