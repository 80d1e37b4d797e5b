import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  agentAddressFile,
  localDatacenterDir,
  runningLocalAgent,
  startLocalAgent,
  stopLocalAgent,
} from '../local-datacenter/agent-process';
import { localAgentLaunch } from '../local-datacenter/start-local-datacenter';

export const localDatacenterUsage = `  overcast-admin datacenter stop    stop pnpm start's local datacenter agent (its nodes fail over)
  overcast-admin datacenter start   start it again (its nodes move back once it has stayed up)`;

/** `overcast-admin datacenter stop|start`: pnpm start's own datacenter, stopped and started on its own. */
export async function runLocalDatacenterCommand(options: {
  action: string | undefined;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  write: { out(line: string): void; err(line: string): void };
}): Promise<number> {
  const { dataDir, write } = options;
  const directory = localDatacenterDir(dataDir);
  if (options.action !== 'stop' && options.action !== 'start') {
    write.err(`overcast-admin datacenter: say stop or start\n${localDatacenterUsage}`);
    return 2;
  }
  if (!existsSync(path.join(directory, 'cert.pem'))) {
    write.err(`overcast-admin: no local datacenter in ${directory}: \`pnpm start\` registers it on its first start`);
    return 1;
  }
  if (options.action === 'stop') {
    const stopped = await stopLocalAgent(directory);
    write.out(
      stopped
        ? 'The local datacenter agent stopped; after 2 missed heartbeats its nodes are placed on another datacenter.'
        : 'The local datacenter agent was not running.',
    );
    return 0;
  }
  const running = runningLocalAgent(directory);
  if (running !== null) {
    write.out(`The local datacenter agent is already running (pid ${running}).`);
    return 0;
  }
  const address = readFileSync(agentAddressFile(dataDir), 'utf8').trim();
  const pid = startLocalAgent(localAgentLaunch(dataDir, address, options.env));
  write.out(`The local datacenter agent started (pid ${pid}, log ${path.join(directory, 'agent.log')}).`);
  return 0;
}
