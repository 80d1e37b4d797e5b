import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import { createLocalContainerPlatform, readLocalImagesFile } from '../../src';

describe("local container platform: the operator's catalog", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'local-catalog-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("runs the catalog's images with an entrypoint beside the sample hello-web", async () => {
    const file = join(work, 'images.json');
    writeFileSync(
      file,
      JSON.stringify({
        'echo-web': { entrypoint: [process.execPath, '-e', 'setInterval(() => {}, 1000)'] },
        'debian-local': { description: 'boots instances only', shell: '/bin/sh' },
      }),
    );
    const platform = createLocalContainerPlatform({ images: readLocalImagesFile(file) as never });
    try {
      expect(platform.runnableImages().sort()).toEqual(['echo-web', 'hello-web']);
    } finally {
      await platform.close();
    }
  });

  it("runs the catalog's own hello-web instead of the sample when it defines one", async () => {
    const platform = createLocalContainerPlatform({ images: { 'hello-web': { entrypoint: ['/bin/echo', 'mine'] } } });
    try {
      expect(platform.runnableImages()).toEqual(['hello-web']);
      const district = platform.forDistrict({ name: 'catalog' });
      await district.ensureCluster();
      const definition = await district.registerTaskDefinition({
        app: 'a',
        service: 'oneoff',
        image: 'hello-web:latest',
        cpu: 128,
        memory: 128,
        command: null,
        env: {},
        portMappings: [],
        release: 1,
      });
      const task = await district.runTask({ app: 'a', taskDefinition: definition.id, clientToken: 't' });
      const stopped = await waitFor('the one-off stopped', async () => {
        const state = await district.describeTask(task.id);
        return state?.status === 'STOPPED' ? state : undefined;
      });
      expect(stopped).toMatchObject({ exitCode: 0, output: 'mine\n' });
    } finally {
      await platform.close();
    }
  });

  it('names the variable and the file it cannot read', () => {
    expect(() => readLocalImagesFile(join(work, 'missing.json'))).toThrow(
      `LOCAL_IMAGES_FILE: cannot read ${join(work, 'missing.json')}`,
    );
  });

  it('takes nothing but the sample when no catalog is given', async () => {
    const platform = createLocalContainerPlatform();
    try {
      expect(platform.runnableImages()).toEqual(['hello-web']);
    } finally {
      await platform.close();
    }
  });
});
