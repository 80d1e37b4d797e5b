import type { DeploymentConfig } from '@overcast/deployment-config';
import { indexOffers } from './match-datacenters';
import type { DatacenterOffer, Usage } from './offers';
import { planDeployment } from './plan-deployment';
import { noChanges, type DeploymentRecord } from './records';

const now = new Date('2026-12-04T12:00:00Z');
let ids = 0;
const settings = {
  now,
  failbackAfterMs: 1_000,
  newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
};

function datacenter(id: string, price: number, capacity = 10, state: 'up' | 'down' = 'up'): DatacenterOffer {
  return {
    id,
    name: id,
    region: 'us-west',
    state,
    upSince: new Date(now.getTime() - 60_000),
    lastHeartbeatAt: now,
    profiles: [{ name: 'std', cpu: 2, memoryBytes: 4e9, lifetime: 'medium', price, capacity }],
  };
}

function config(entries: string[], nodes: number): DeploymentConfig {
  const profile = {
    qos: { cpu: 1, memoryBytes: 1e9, lifetime: undefined },
    pricing: { maxPrice: undefined, collateral: undefined },
  };
  return {
    version: '0.1',
    services: { web: { image: 'nginx', args: [], env: {}, expose: [], dependsOn: [] } },
    deployment: {
      datacenters: Object.fromEntries(
        entries.map((entry) => [entry, { region: 'us-west', profiles: { web: profile } }]),
      ),
      services: { web: Object.fromEntries(entries.map((entry) => [entry, { profile: 'web', nodes }])) },
    },
    notifications: [],
  } as DeploymentConfig;
}

function deployment(entries: string[], nodes: number): DeploymentRecord {
  return {
    id: 'd1',
    tenantId: 't',
    config: config(entries, nodes),
    state: 'deploying',
    version: 1,
    placements: [],
    nodes: [],
  };
}

describe('planDeployment', () => {
  it('puts each datacenter entry on its own datacenter, cheapest first, while distinct ones fit', () => {
    const changes = noChanges();
    const offers = [datacenter('a', 1), datacenter('b', 2), datacenter('c', 3)];
    planDeployment(deployment(['east', 'west'], 2), indexOffers(offers), new Map(), settings, changes);
    expect(changes.placements.map((p) => [p.entry, p.datacenterId])).toEqual([
      ['east', 'a'],
      ['west', 'b'],
    ]);
    expect(changes.createdNodes).toHaveLength(4);
  });

  it('skips a datacenter without room and reports an entry nothing satisfies', () => {
    const usage: Usage = new Map([['a', new Map([['std', 9]])]]);
    const changes = noChanges();
    planDeployment(deployment(['east'], 2), indexOffers([datacenter('a', 1)]), usage, settings, changes);
    expect(changes.createdNodes).toEqual([]);
    expect(changes.events.map((e) => e.type)).toEqual(['deploy.failure']);
  });

  it('during failback keeps the old nodes until as many run on the returned datacenter', () => {
    const record = deployment(['east'], 2);
    record.state = 'active';
    record.placements = [{ entry: 'east', datacenterId: 'b', preferredId: 'a' }];
    const node = (id: string, datacenterId: string, state: 'starting' | 'running') => ({
      id,
      deploymentId: 'd1',
      service: 'web',
      entry: 'east',
      datacenterId,
      profile: 'std',
      state,
      endpoint: null,
    });
    record.nodes = [node('old-1', 'b', 'running'), node('old-2', 'b', 'running')];
    const index = indexOffers([datacenter('a', 1), datacenter('b', 2)]);
    const first = noChanges();
    planDeployment(record, index, new Map(), settings, first);
    expect(first.placements[0]).toMatchObject({ datacenterId: 'a' });
    expect(first.createdNodes).toHaveLength(2);
    expect(first.stoppedNodes).toEqual([]);

    // One new node runs: exactly one old one may stop.
    record.placements = [{ entry: 'east', datacenterId: 'a', preferredId: 'a' }];
    record.nodes = [...record.nodes, node('new-1', 'a', 'running'), node('new-2', 'a', 'starting')];
    const second = noChanges();
    planDeployment(record, index, new Map(), settings, second);
    expect(second.stoppedNodes).toHaveLength(1);
    expect(second.createdNodes).toEqual([]);
  });

  it('does not fail back before the returned datacenter has stayed up long enough', () => {
    const record = deployment(['east'], 1);
    record.placements = [{ entry: 'east', datacenterId: 'b', preferredId: 'a' }];
    const returned = { ...datacenter('a', 1), upSince: new Date(now.getTime() - 10) };
    const changes = noChanges();
    planDeployment(record, indexOffers([returned, datacenter('b', 2)]), new Map(), settings, changes);
    expect(changes.placements).toEqual([]);
    expect(changes.createdNodes[0]).toMatchObject({ datacenterId: 'b' });
  });
});
