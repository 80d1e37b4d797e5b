import { join } from 'node:path';
import type { LocalImage } from '../../local/config';

/** The sample program's path: TypeScript run by Node's own type stripping, like the boot agent. */
export const helloWebPath = join(__dirname, 'hello-web.mts');

/** The `hello-web` entry of the local catalog: an operator's image, its program fixed here. */
export const helloWebImage: LocalImage = {
  description: 'Sample web app: answers every HTTP request with {app, service, task, release, greeting}',
  roles: [],
  env: {},
  shell: '/bin/sh',
  createdAt: new Date(0),
  entrypoint: [
    process.execPath,
    ...(process.features.typescript ? [] : ['--experimental-strip-types']),
    '--disable-warning=ExperimentalWarning',
    helloWebPath,
  ],
};
