import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatacenterProfile } from '@overcast/contracts';
import { loadConfigOrExit, logLevelVariable, parseConfig, positiveIntegerVariable } from '@overcast/service-kit';
import { z } from 'zod';

const pemFile = (what: string) =>
  z
    .string({ error: `is required: the path of ${what} (PEM)` })
    .min(1)
    .transform((file, context) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        context.addIssue({ code: 'custom', message: `cannot read ${file}: ${(error as Error).message}` });
        return z.NEVER;
      }
    });

const profiles = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of profiles' });
      return z.NEVER;
    }
  })
  .pipe(z.array(DatacenterProfile).max(100));

/** What the agent needs, whoever runs it (main.ts, standalone, tests). */
const settingsVariables = z.object({
  /** The registry's agent endpoint, host:port (mutual TLS). */
  REGISTRY_AGENT_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'),
  /** This datacenter's certificate, from `overcast datacenters register` (its dir's cert.pem). */
  DATACENTER_CERT_FILE: pemFile("the datacenter's certificate"),
  /** Its private key (key.pem, made where it was registered, never sent anywhere). */
  DATACENTER_KEY_FILE: pemFile("the datacenter's private key"),
  /** The registry's CA bundle (ca.pem): the only CA whose registry certificate the agent accepts. */
  REGISTRY_CA_FILE: pemFile("the registry's CA bundle"),
  /** How often it heartbeats (2000 ms): keep it the registry's HEARTBEAT_INTERVAL_MS. */
  HEARTBEAT_INTERVAL_MS: positiveIntegerVariable(2_000),
  /** What it advertises on each heartbeat (JSON array of {name, cpu, memoryBytes, lifetime, price, capacity}); unset: what it was registered with. */
  DATACENTER_PROFILES: profiles.optional(),
});

export interface AgentSettings {
  registryAddress: string;
  credentials: { certificate: string; privateKey: string; caBundle: string };
  heartbeatIntervalMs: number;
  profiles: z.infer<typeof DatacenterProfile>[];
}

const settingsOf = (env: z.output<typeof settingsVariables>): AgentSettings => ({
  registryAddress: env.REGISTRY_AGENT_ADDRESS,
  credentials: {
    certificate: env.DATACENTER_CERT_FILE,
    privateKey: env.DATACENTER_KEY_FILE,
    caBundle: env.REGISTRY_CA_FILE,
  },
  heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
  profiles: env.DATACENTER_PROFILES ?? [],
});
const settingsSchema = settingsVariables.transform(settingsOf);

const environment = settingsVariables.extend({
  /** Where its nodes' processes and state live (.overcast/datacenter-agent). */
  AGENT_DATA_DIR: z.string().min(1).default('.overcast/datacenter-agent'),
  /** First two octets of its nodes' loopback addresses (127.102; pnpm start's own datacenter uses 127.101). */
  NODE_ADDRESS_PREFIX: z
    .string()
    .regex(/^127\.\d{1,3}$/, 'must look like "127.<0-255>"')
    .default('127.102'),
  /** The operator's image catalog for nodes (JSON file of the local provider's images); nodes run nothing else. */
  IMAGE_CATALOG_FILE: z.string().min(1).optional(),
  LOG_LEVEL: logLevelVariable(),
});

export type AgentSettingsEnvironment = { [Variable in keyof z.input<typeof settingsVariables>]?: string };
export type AgentConfig = z.output<typeof environment> & { settings: AgentSettings };

export function parseAgentSettings(env: AgentSettingsEnvironment): AgentSettings {
  return parseConfig(settingsSchema, env);
}

const configSchema = environment.transform((env) => ({ ...env, settings: settingsOf(env) }));

/**
 * `DATACENTER_DIR=<dir> pnpm agent`: the directory `overcast datacenters register --dir` wrote (key.pem, cert.pem,
 * ca.pem) gives the three files and a place for its nodes, and the registry's agent address defaults to the one a
 * running `pnpm start` wrote to <OVERCAST_DATA_DIR>/registry-agent-address. Explicit variables win.
 */
function withDatacenterDirDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const directory = env.DATACENTER_DIR;
  const addressFile = path.join(env.OVERCAST_DATA_DIR ?? '.overcast', 'registry-agent-address');
  const savedAddress = existsSync(addressFile) ? readFileSync(addressFile, 'utf8').trim() : undefined;
  return {
    ...(directory
      ? {
          DATACENTER_CERT_FILE: path.join(directory, 'cert.pem'),
          DATACENTER_KEY_FILE: path.join(directory, 'key.pem'),
          REGISTRY_CA_FILE: path.join(directory, 'ca.pem'),
          AGENT_DATA_DIR: path.join(directory, 'nodes'),
        }
      : {}),
    ...(savedAddress ? { REGISTRY_AGENT_ADDRESS: savedAddress } : {}),
    ...env,
  };
}

export function loadAgentConfigOrExit(): AgentConfig {
  return loadConfigOrExit(configSchema, { env: withDatacenterDirDefaults(process.env) }) as AgentConfig;
}
