import { X509Certificate } from 'node:crypto';
import { AppError, DatacenterProfile } from '@overcast/contracts';
import { z } from 'zod';
import type { OfferedProfile } from './offers';
import type { RegistryStore } from './ports';
import type { ReconcileUseCases } from './reconcile';

/** Who the agent's TLS client certificate names, after TLS checked its chain to the registry's root and its dates. */
export interface AgentPeer {
  /** The certificate, DER, as presented. */
  certificate: Buffer;
  /** Its subject's OU and CN. */
  kind: string;
  id: string;
}

export interface AgentHeartbeat {
  datacenterId: string;
  /** What it offers now; empty keeps what the registry has. */
  profiles: OfferedProfile[];
  running: { id: string; endpoint?: string }[];
}

const Profiles = z.array(DatacenterProfile).max(100);
const comparable = (p: OfferedProfile) => [p.name, p.cpu, p.memoryBytes, p.lifetime, p.price, p.capacity];

/**
 * A heartbeat over the agent endpoint. The certificate must be a datacenter's (not an account's or a deployment's),
 * of the datacenter the heartbeat speaks for, and that datacenter's current one: a deleted datacenter's certificate
 * (or one replaced since) no longer answers, which is how the registry revokes it. Reported nodes that are not on
 * this datacenter change nothing (the heartbeat only reads and updates its own), so a datacenter acts only on its
 * own nodes. Changed profiles (capacity, price) are what it advertises from now on.
 */
export function createAgentHeartbeat(deps: { store: RegistryStore; reconcile: ReconcileUseCases }) {
  return async function agentHeartbeat(peer: AgentPeer, heartbeat: AgentHeartbeat) {
    if (peer.kind !== 'datacenter')
      throw new AppError('forbidden', `a ${peer.kind} certificate cannot speak for a datacenter`);
    if (peer.id !== heartbeat.datacenterId)
      throw new AppError('forbidden', `the certificate is datacenter ${peer.id}'s, not ${heartbeat.datacenterId}'s`);
    const current = await deps.store.findDatacenterCredentials(heartbeat.datacenterId);
    if (!current) throw new AppError('unauthenticated', 'the datacenter no longer exists: its certificate is revoked');
    if (!new X509Certificate(current.certificatePem).raw.equals(peer.certificate))
      throw new AppError('unauthenticated', "the certificate is not the datacenter's current one: it is revoked");
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
