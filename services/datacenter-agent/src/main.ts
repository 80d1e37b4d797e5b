import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalComputeProvider, type LocalComputeConfig } from '@overcast/providers';
import { createLogger, handleShutdownSignals } from '@overcast/service-kit';
import { loadAgentConfigOrExit } from './config';
import { defaultNodeImages } from './node-images';
import { createDatacenterAgent } from './service';

/** Read config → the local provider over the operator's image catalog → the agent; SIGTERM/SIGINT stop it. */
async function main(): Promise<void> {
  const config = loadAgentConfigOrExit();
  const logger = createLogger({ service: 'datacenter-agent', level: config.LOG_LEVEL });
  const images = config.IMAGE_CATALOG_FILE
    ? (JSON.parse(readFileSync(config.IMAGE_CATALOG_FILE, 'utf8')) as LocalComputeConfig['images'])
    : defaultNodeImages;
  const provider = createLocalComputeProvider(
    { name: 'local', dataDir: path.resolve(config.AGENT_DATA_DIR), images, addressPrefix: config.NODE_ADDRESS_PREFIX },
    { warn: (message) => logger.warn({}, message) },
  );
  const agent = createDatacenterAgent({ settings: config.settings, provider, logger });
  await agent.start();
  handleShutdownSignals(async () => {
    await agent.stop();
    await provider.close();
  }, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `datacenter agent failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
