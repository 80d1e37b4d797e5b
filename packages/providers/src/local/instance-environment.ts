import { join } from 'node:path';
import type { LocalImage } from './config';
import type { LocalInstanceRecord } from './instance-files';

/**
 * The instance's whole environment. Nothing of the control plane's own environment leaks in (it holds
 * database URLs and encryption keys); only PATH, so the image's tools are found.
 */
export function instanceEnvironment(options: {
  record: LocalInstanceRecord;
  image: LocalImage;
  dir: string;
  fetchTimeoutMs: number;
  /** The proxy variables that route its EC2 metadata requests (images with instanceMetadata). */
  metadata?: Record<string, string>;
}): Record<string, string> {
  const { record, image, dir } = options;
  return {
    ...image.env,
    ...options.metadata,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: join(dir, 'home'),
    LANG: 'C.UTF-8',
    OVERCAST_INSTANCE_ID: record.id,
    // Services on the instance bind here: its own loopback address is its "public IP".
    OVERCAST_INSTANCE_IP: record.ipAddress,
    OVERCAST_INSTANCE_TYPE: record.instanceType,
    OVERCAST_IMAGE: record.image,
    OVERCAST_IMAGE_SHELL: image.shell,
    OVERCAST_INSTANCE_DIR: dir,
    OVERCAST_FETCH_TIMEOUT_MS: String(options.fetchTimeoutMs),
  };
}
