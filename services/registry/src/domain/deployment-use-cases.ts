import { randomUUID } from 'node:crypto';
import {
  AppError,
  type createDeploymentRpc,
  type deleteDeploymentRpc,
  type getDeploymentRpc,
  type listDeploymentEventsRpc,
  type listDeploymentsRpc,
  type notifyDeploymentRpc,
  type RequestOf,
  type ResponseOf,
  type updateDeploymentRpc,
  type validateDeploymentRpc,
} from '@overcast/contracts';
import { DeploymentEvent as PhotonEvent } from '@overcast/deployment-config';
import type { CertificateAuthority } from '../ca/certificate-authority';
import { exportPrivateKeyPem, generateKeyPair } from '../ca/keys';
import type { SecretBox } from './certificate-authority-port';
import { indexOffers } from './match-datacenters';
import { planDeployment, type PlanSettings } from './plan-deployment';
import { planSteps } from './plan-steps';
import type { Clock, RegistryStore } from './ports';
import { presentDeployment, presentDeploymentSummary } from './present';
import type { ConfigReader } from './read-config';
import { noChanges } from './records';

export interface DeploymentUseCaseDeps {
  store: RegistryStore;
  ca: CertificateAuthority;
  secretBox: SecretBox;
  configs: ConfigReader;
  clock: Clock;
  failbackAfterMs: number;
  /** The deployment's Standard Webhooks signing secret, shown to its owner with the deployment. */
  webhookSecret(deploymentId: string): string;
}

const deploymentNotFound = () => new AppError('not_found', 'deployment not found');

export function createDeploymentUseCases(deps: DeploymentUseCaseDeps) {
  const { store, ca, configs, clock } = deps;
  const planSettings = (): PlanSettings => ({
    now: clock.now(),
    failbackAfterMs: deps.failbackAfterMs,
    newId: randomUUID,
  });

  async function getDeployment(
    request: RequestOf<typeof getDeploymentRpc>,
  ): Promise<ResponseOf<typeof getDeploymentRpc>> {
    const deployment = await store.findDeployment(request.tenantId, request.id);
    if (!deployment) throw deploymentNotFound();
    return presentDeployment(deployment, ca.caBundle(), deps.webhookSecret(deployment.id));
  }

  return {
    async validateDeployment(
      request: RequestOf<typeof validateDeploymentRpc>,
    ): Promise<ResponseOf<typeof validateDeploymentRpc>> {
      const verdict = await configs.validate(request.source);
      return verdict.valid ? { valid: true, errors: [] } : verdict;
    },

    /**
     * Photon's `create`: the file validated, the deployment stored with its own leaf certificate (key sealed at
     * rest) and placed at once — each datacenter entry on the cheapest datacenter that satisfies it, its nodes
     * starting there — in one transaction with deploy.begin.
     */
    async createDeployment(
      request: RequestOf<typeof createDeploymentRpc>,
    ): Promise<ResponseOf<typeof createDeploymentRpc>> {
      const config = await configs.read(request.source);
      const id = randomUUID();
      const keys = await generateKeyPair();
      const certificatePem = await ca.issueLeaf('deployment', id, keys.publicKey);
      const sealedPrivateKey = deps.secretBox.seal(await exportPrivateKeyPem(keys.privateKey), `deployment:${id}`);
      await store.inPlacement(async (tx) => {
        await tx.insertDeployment({
          id,
          tenantId: request.tenantId,
          config,
          source: request.source,
          certificatePem,
          sealedPrivateKey,
        });
        const deployment = await tx.findDeployment(request.tenantId, id);
        if (!deployment) throw new Error('the deployment just inserted is missing');
        const world = await tx.world();
        const changes = noChanges();
        changes.events.push({
          deploymentId: id,
          tenantId: request.tenantId,
          type: 'deploy.begin',
          data: { version: 1 },
        });
        planDeployment(deployment, indexOffers(world.offers), world.usage, planSettings(), changes);
        await tx.apply(changes);
      });
      return getDeployment({ tenantId: request.tenantId, id });
    },

    async listDeployments(
      request: RequestOf<typeof listDeploymentsRpc>,
    ): Promise<ResponseOf<typeof listDeploymentsRpc>> {
      return { deployments: (await store.listDeployments(request.tenantId)).map(presentDeploymentSummary) };
    },

    getDeployment,

    /** Photon's `update`: the plan (nodes to add, move, remove); applied unless dry-run, with deploy.begin. */
    async updateDeployment(
      request: RequestOf<typeof updateDeploymentRpc>,
    ): Promise<ResponseOf<typeof updateDeploymentRpc>> {
      const config = await configs.read(request.source);
      const plan = await store.inPlacement(async (tx) => {
        const current = await tx.findDeployment(request.tenantId, request.id);
        if (!current) throw deploymentNotFound();
        const world = await tx.world();
        const changes = noChanges();
        const next = { ...current, config, version: current.version + 1, state: 'deploying' as const };
        planDeployment(next, indexOffers(world.offers), world.usage, planSettings(), changes);
        const steps = planSteps(current, next, changes);
        if (!request.dryRun) {
          await tx.replaceConfig(current.id, config, request.source, 'deploying');
          changes.events.unshift({
            deploymentId: current.id,
            tenantId: current.tenantId,
            type: 'deploy.begin',
            data: { version: next.version },
          });
          await tx.apply(changes);
        }
        return steps;
      });
      if (request.dryRun) return { plan };
      return { plan, deployment: await getDeployment({ tenantId: request.tenantId, id: request.id }) };
    },

    /** Its nodes go with it: agents stop what their next heartbeat's answer no longer lists. */
    async deleteDeployment(
      request: RequestOf<typeof deleteDeploymentRpc>,
    ): Promise<ResponseOf<typeof deleteDeploymentRpc>> {
      const deleted = await store.inPlacement((tx) => tx.deleteDeployment(request.tenantId, request.id));
      if (!deleted) throw deploymentNotFound();
      return {};
    },

    async listEvents(
      request: RequestOf<typeof listDeploymentEventsRpc>,
    ): Promise<ResponseOf<typeof listDeploymentEventsRpc>> {
      const deployment = await store.findDeployment(request.tenantId, request.id);
      if (!deployment) throw deploymentNotFound();
      const events = await store.listEvents(deployment.id, request.after, request.limit);
      return {
        events: events.map(({ seq, type, data, createdAt }) => ({
          seq,
          type,
          data,
          createdAt: createdAt.toISOString(),
        })),
      };
    },

    /**
     * Photon's `notify [name] [--event e]`: which of the deployment's notifications the event goes to, recorded in
     * its stream; the notifier delivers it to them (domain/notifications).
     */
    async notify(request: RequestOf<typeof notifyDeploymentRpc>): Promise<ResponseOf<typeof notifyDeploymentRpc>> {
      const deployment = await store.findDeployment(request.tenantId, request.id);
      if (!deployment) throw deploymentNotFound();
      const event = PhotonEvent.safeParse(request.event ?? 'deploy.complete');
      if (!event.success) {
        throw new AppError('bad_request', 'Unknown event.', {
          details: [{ path: 'body.event', message: `must be one of ${PhotonEvent.options.join(', ')}` }],
        });
      }
      const notifications = deployment.config.notifications.filter(
        (n) => request.notification === undefined || n.name === request.notification,
      );
      if (request.notification !== undefined && notifications.length === 0) {
        throw new AppError('bad_request', 'Unknown notification.', {
          details: [
            { path: 'body.notification', message: `the deployment has no notification named ${request.notification}` },
          ],
        });
      }
      const notified = notifications.filter((n) => n.events.includes(event.data)).map((n) => n.name);
      await store.addEvents([
        {
          deploymentId: deployment.id,
          tenantId: deployment.tenantId,
          type: 'notification.requested',
          data: { event: event.data, notifications: notified },
        },
      ]);
      return { notified, event: event.data };
    },
  };
}

export type DeploymentUseCases = ReturnType<typeof createDeploymentUseCases>;
