import packageJson from '../package.json';

/** The CLI's version, from its package.json (one place to bump). */
export const cliVersion: string = packageJson.version;
