import { join } from 'node:path';
import type { LocalImage } from '../../local/config';

/** The sample program's path: TypeScript run by Node's own type stripping, like the boot agent. */
export const helloWebPath = join(__dirname, 'hello-web.mts');

/**
 * How many requests hello-web answers on one connection before it closes it (a release's env may change it): the
 * default reuse-port balancer spreads connections, so a kept-alive client reaches every task a few requests at a time.
 */
export const helloWebRequestsPerConnection = 4;

/** The `hello-web` entry of the local catalog: an operator's image, its program fixed here. */
export const helloWebImage: LocalImage = {
  description: 'Sample web app: answers every HTTP request with {app, service, task, release, greeting}',
  roles: [],
  env: { REQUESTS_PER_CONNECTION: String(helloWebRequestsPerConnection) },
  instanceMetadata: false,
  shell: '/bin/sh',
  createdAt: new Date(0),
  entrypoint: [
    process.execPath,
    ...(process.features.typescript ? [] : ['--experimental-strip-types']),
    '--disable-warning=ExperimentalWarning',
    helloWebPath,
  ],
};
