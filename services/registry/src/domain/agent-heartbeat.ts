import { AppError, DatacenterProfile } from '@overcast/contracts';
import { z } from 'zod';
import type { AuthenticateAgent, AgentPeer } from './authenticate-agent';
import type { OfferedProfile } from './offers';
import type { RegistryStore } from './ports';
import type { ReconcileUseCases } from './reconcile';

export interface AgentHeartbeat {
  datacenterId: string;
  /** What it offers now; empty keeps what the registry has. */
  profiles: OfferedProfile[];
  running: { id: string; endpoint?: string }[];
}

const Profiles = z.array(DatacenterProfile).max(100);
const comparable = (p: OfferedProfile) => [p.name, p.cpu, p.memoryBytes, p.lifetime, p.price, p.capacity];

/**
 * A heartbeat over the agent endpoint, from the datacenter's own current certificate (authenticateAgent). Reported
 * nodes that are not on this datacenter change nothing (the heartbeat only reads and updates its own), so a
 * datacenter acts only on its own nodes. Changed profiles (capacity, price) are what it advertises from now on.
 */
export function createAgentHeartbeat(deps: {
  store: RegistryStore;
  reconcile: ReconcileUseCases;
  authenticateAgent: AuthenticateAgent;
}) {
  return async function agentHeartbeat(peer: AgentPeer, heartbeat: AgentHeartbeat) {
    const current = await deps.authenticateAgent(peer, heartbeat.datacenterId);
    if (heartbeat.profiles.length > 0) {
      const profiles = Profiles.safeParse(heartbeat.profiles);
      if (!profiles.success) {
        throw new AppError('bad_request', 'The profiles are invalid.', {
          details: profiles.error.issues.map((issue) => ({
            path: ['profiles', ...issue.path].join('.'),
            message: issue.message,
          })),
        });
      }
      const sorted = [...profiles.data].sort((a, b) => a.name.localeCompare(b.name));
      if (JSON.stringify(sorted.map(comparable)) !== JSON.stringify(current.profiles.map(comparable)))
        await deps.store.updateDatacenter(current.tenantId, heartbeat.datacenterId, { profiles: sorted });
    }
    return deps.reconcile.heartbeat({ datacenterId: heartbeat.datacenterId, running: heartbeat.running });
  };
}

export type AgentHeartbeatUseCase = ReturnType<typeof createAgentHeartbeat>;
