import { DeploymentEvent, type DeploymentConfig } from '@overcast/deployment-config';
import type { PendingEvent } from './notification-ports';
import { planDeliveries } from './plan-deliveries';

const config = {
  notifications: [
    { name: 'all', type: 'webhook', url: 'https://a.example.com/', events: DeploymentEvent.options },
    { name: 'down', type: 'email', events: ['cluster.down'] },
  ],
} as unknown as DeploymentConfig;

const event = (type: string, data: Record<string, unknown> = {}, overrides: Partial<PendingEvent> = {}) => ({
  seq: 7,
  deploymentId: 'd',
  tenantId: 't',
  type,
  data,
  createdAt: new Date('2026-12-04T12:00:00Z'),
  config,
  accountEmail: 'owner@example.com',
  ...overrides,
});

let ids = 0;
const newId = () => `id-${++ids}`;

describe('planning deliveries', () => {
  it("sends an event to the notifications whose events name it; an email naming no address to the account's", () => {
    const deliveries = planDeliveries([event('cluster.down'), event('deploy.begin')], newId);
    expect(deliveries.map((d) => [d.notification, d.event, d.target])).toEqual([
      ['all', 'cluster.down', 'https://a.example.com/'],
      ['down', 'cluster.down', 'owner@example.com'],
      ['all', 'deploy.begin', 'https://a.example.com/'],
    ]);
    expect(deliveries[0]!.payload).toEqual({
      type: 'cluster.down',
      timestamp: '2026-12-04T12:00:00.000Z',
      data: { deployment_id: 'd', seq: 7, notification: 'all', details: {} },
    });
  });

  it("sends notify's event to the notifications it names, and nothing for placement changes or deleted deployments", () => {
    const requested = event('notification.requested', { event: 'deploy.failure', notifications: ['down'] });
    expect(planDeliveries([requested], newId).map((d) => [d.notification, d.event])).toEqual([
      ['down', 'deploy.failure'],
    ]);
    expect(planDeliveries([event('placement.changed'), event('notification.failed')], newId)).toEqual([]);
    expect(planDeliveries([event('cluster.down', {}, { config: null })], newId)).toEqual([]);
  });
});
