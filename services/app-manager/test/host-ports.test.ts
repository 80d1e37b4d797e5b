import { createAppRpc, createDistrictRpc, updateAppRpc } from '@overcast/contracts';
import { Client } from 'pg';
import { createAppManagerEnvironment, type AppManagerEnvironment } from './support/app-manager-environment';

let env: AppManagerEnvironment;
const tenantId = 'tenant-ports';

beforeAll(async () => {
  env = await createAppManagerEnvironment();
  await env.startReplica();
  await env.client.call(createDistrictRpc, { tenantId, name: 'default', provider: 'fake' });
});
afterAll(async () => {
  await env?.close();
});

const twoPorts = (name: string) => ({
  tenantId,
  district: 'default',
  name,
  image_name: 'nginx',
  services: [
    {
      name: 'web',
      port_mappings: [
        { lb_port: 80, container_port: 80 },
        { lb_port: 443, container_port: 443 },
      ],
    },
  ],
});

async function sql<Row extends object>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: env.testDatabase.url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Each app's host ports, as its service row and its newest release say. */
async function hostPortsOf(app: string): Promise<{ service: number[]; release: number[] }> {
  const [row] = await sql<{
    service: { host_port: number }[];
    release: { services: { portMappings: { host_port: number }[] }[] };
  }>(
    `SELECT s.port_mappings AS service, r.spec AS release
       FROM app_manager.apps a JOIN app_manager.app_services s ON s.app_id = a.id
       JOIN app_manager.releases r ON r.app_id = a.id AND r.version = a.release
      WHERE a.tenant_id = $1 AND a.name = $2`,
    [tenantId, app],
  );
  if (!row) throw new Error(`no app ${app}`);
  return {
    service: row.service.map((mapping) => mapping.host_port),
    release: row.release.services.flatMap((service) => service.portMappings.map((mapping) => mapping.host_port)),
  };
}

describe('host ports', () => {
  it('gives concurrent creates in one district distinct host ports, each row, service and release agreeing', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `ports-${index}`);
    await Promise.all(names.map((name) => env.client.call(createAppRpc, twoPorts(name))));
    const rows = await sql<{ host_port: number }>('SELECT host_port FROM app_manager.host_ports');
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((row) => row.host_port)).size).toBe(24);
    for (const name of names) {
      const ports = await hostPortsOf(name);
      expect(ports.release).toEqual(ports.service);
      for (const port of ports.service) expect(port).toBeGreaterThanOrEqual(10_000);
    }
    // An update keeps the ports its mappings have and allocates only for the new one.
    const before = await hostPortsOf('ports-0');
    await env.client.call(updateAppRpc, {
      tenantId,
      app: 'ports-0',
      services: [{ name: 'worker', port_mappings: [{ lb_port: 8080, container_port: 8080 }] }],
    });
    const after = await hostPortsOf('ports-0');
    expect(after.release.slice(0, 2)).toEqual(before.service);
    expect(await sql('SELECT 1 FROM app_manager.host_ports')).toHaveLength(25);
  });

  it('swaps a candidate another service still holds (the cursor went round) for the lowest free port', async () => {
    await sql("SELECT setval('app_manager.host_port_cursor', 0, false)");
    const held = new Set(
      (await sql<{ host_port: number }>('SELECT host_port FROM app_manager.host_ports')).map((row) => row.host_port),
    );
    await env.client.call(createAppRpc, twoPorts('wrapped'));
    const ports = await hostPortsOf('wrapped');
    expect(ports.release).toEqual(ports.service);
    for (const port of ports.service) expect(held.has(port)).toBe(false);
    const rows = await sql<{ host_port: number }>('SELECT host_port FROM app_manager.host_ports');
    expect(new Set(rows.map((row) => row.host_port)).size).toBe(rows.length);
  });
});
