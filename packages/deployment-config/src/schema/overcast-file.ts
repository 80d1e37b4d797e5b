import { z } from 'zod';
import { Deployment } from './deployment';
import { Notifications } from './notifications';
import { Services } from './services';

/** The only version Photon accepts; unquoted (`version: 0.1`) YAML reads it as a number, which is the same. */
export const supportedVersion = '0.1';

export const Version = z.preprocess(
  (version) => (version === 0.1 ? supportedVersion : version),
  z.literal(supportedVersion, { error: `only "${supportedVersion}" is accepted` }),
);

/** A whole overcast.yml after its includes are merged in (the merged file no longer lists them). */
export const OvercastFile = z.strictObject({
  version: Version,
  services: Services,
  deployment: Deployment,
  notifications: Notifications,
});

/** The parsed deployment, defaults applied (proto by port, `global: false`, every event when none are named). */
export type DeploymentConfig = z.infer<typeof OvercastFile>;
