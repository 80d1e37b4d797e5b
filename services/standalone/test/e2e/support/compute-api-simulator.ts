import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GceClientOptions } from '@overcast/providers';
import { OAuth2Client } from 'google-auth-library';

export const gceProject = 'overcast-e2e';
export const gceZone = 'europe-west1-b';
const resourceRoot = `https://www.googleapis.com/compute/v1/projects/${gceProject}`;

interface SimulatedVm {
  id: string;
  name: string;
  status: string;
  deleted: boolean;
  body: Record<string, unknown>;
  natIp: string;
}

interface InsertRecord {
  requestId: string | undefined;
  body: Record<string, unknown>;
}

type Answer = { status: number; body: unknown };

function computeError(code: number, reason: string, message: string): Answer {
  return { status: code, body: { error: { code, message, errors: [{ message, domain: 'global', reason }] } } };
}

/** Observing a VM lets time pass for it: STAGING becomes RUNNING, STOPPING becomes gone. */
function advance(vm: SimulatedVm): void {
  if (vm.status === 'STAGING') vm.status = 'RUNNING';
  else if (vm.status === 'STOPPING') vm.deleted = true;
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text ? (JSON.parse(text) as Record<string, unknown>) : undefined);
    });
  });
}

/**
 * A stateful compute.googleapis.com on loopback, spoken to by the real @google-cloud/compute client (REST
 * transport): images.list by name filter, instances insert (idempotent on requestId, 409 on a taken name) /
 * get / list by label / delete, and zoneOperations.wait. Inserted VMs are STAGING once their operation is
 * done and RUNNING (with a NAT address) from the next read; deleted ones are STOPPING, then gone.
 */
export async function startComputeApiSimulator(images: { name: string; creationTimestamp: string }[]) {
  const zoneBase = `/compute/v1/projects/${gceProject}/zones/${gceZone}`;
  const vms = new Map<string, SimulatedVm>();
  const operations = new Map<string, Record<string, unknown>>();
  const inserts: InsertRecord[] = [];
  const deletes: string[] = [];
  const operationByRequestId = new Map<string, Record<string, unknown>>();

  function vmBody(vm: SimulatedVm): Record<string, unknown> {
    const running = vm.status === 'RUNNING';
    return {
      ...vm.body,
      kind: 'compute#instance',
      id: vm.id,
      status: vm.status,
      selfLink: `${resourceRoot}/zones/${gceZone}/instances/${vm.name}`,
      networkInterfaces: [
        {
          kind: 'compute#networkInterface',
          name: 'nic0',
          networkIP: `10.132.0.${vm.id.slice(-2)}`,
          accessConfigs: [
            {
              kind: 'compute#accessConfig',
              type: 'ONE_TO_ONE_NAT',
              name: 'External NAT',
              ...(running ? { natIP: vm.natIp } : {}),
            },
          ],
        },
      ],
    };
  }

  function newOperation(type: string, vm: SimulatedVm): Record<string, unknown> {
    const name = `operation-${Date.now()}-${operations.size + 1}`;
    const operation = {
      kind: 'compute#operation',
      id: String(7_000_000 + operations.size),
      name,
      zone: `${resourceRoot}/zones/${gceZone}`,
      operationType: type,
      targetLink: `${resourceRoot}/zones/${gceZone}/instances/${vm.name}`,
      status: 'RUNNING',
      progress: 0,
      insertTime: new Date().toISOString(),
      selfLink: `${resourceRoot}/zones/${gceZone}/operations/${name}`,
    };
    operations.set(name, operation);
    return operation;
  }

  function insert(query: URLSearchParams, body: Record<string, unknown>): Answer {
    const requestId = query.get('requestId') ?? undefined;
    inserts.push({ requestId, body });
    const repeated = requestId ? operationByRequestId.get(requestId) : undefined;
    if (repeated) return { status: 200, body: repeated };
    const name = String(body.name);
    const existing = vms.get(name);
    if (existing && !existing.deleted)
      return computeError(409, 'alreadyExists', `The resource '${zoneBase}/instances/${name}' already exists`);
    const sequence = vms.size + 1;
    const vm: SimulatedVm = {
      id: `45678901234567890${String(sequence).padStart(2, '0')}`,
      name,
      status: 'PROVISIONING',
      deleted: false,
      body: { ...body, creationTimestamp: new Date().toISOString() },
      natIp: `198.51.100.${10 + sequence}`,
    };
    vms.set(name, vm);
    const operation = newOperation('insert', vm);
    if (requestId) operationByRequestId.set(requestId, operation);
    return { status: 200, body: operation };
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown> | undefined,
  ): Answer {
    if (method === 'GET' && path === `/compute/v1/projects/${gceProject}/global/images`) {
      const prefix = /^name eq '(.*)'$/.exec(query.get('filter') ?? '')?.[1];
      const pattern = new RegExp(`^(?:${prefix ?? '.*'})$`);
      const items = images
        .filter((image) => pattern.test(image.name))
        .map((image) => ({
          kind: 'compute#image',
          ...image,
          status: 'READY',
          selfLink: `${resourceRoot}/global/images/${image.name}`,
        }));
      return { status: 200, body: { kind: 'compute#imageList', items } };
    }
    if (method === 'POST' && path === `${zoneBase}/instances`) return insert(query, body ?? {});
    if (method === 'GET' && path === `${zoneBase}/instances`) {
      if (query.get('filter') !== 'labels.overcast-id:*')
        return computeError(400, 'invalid', `unexpected filter ${query.get('filter')}`);
      const listed = [...vms.values()].filter((vm) => !vm.deleted);
      const items = listed.map(vmBody);
      listed.forEach(advance);
      return { status: 200, body: { kind: 'compute#instanceList', items } };
    }
    const operationWait = new RegExp(`^${zoneBase}/operations/([^/]+)/wait$`).exec(path);
    if (method === 'POST' && operationWait) {
      const operation = operations.get(operationWait[1] ?? '');
      if (!operation) return computeError(404, 'notFound', `operation ${operationWait[1]} not found`);
      operation.status = 'DONE';
      operation.progress = 100;
      const vm = vms.get(String(operation.targetLink).split('/').pop() ?? '');
      if (vm?.status === 'PROVISIONING') vm.status = 'STAGING';
      return { status: 200, body: operation };
    }
    const instancePath = new RegExp(`^${zoneBase}/instances/([^/]+)$`).exec(path);
    const vm = instancePath ? vms.get(instancePath[1] ?? '') : undefined;
    if (instancePath && (!vm || vm.deleted))
      return computeError(404, 'notFound', `The resource '${path}' was not found`);
    if (vm && method === 'GET') {
      const answer = vmBody(vm);
      advance(vm);
      return { status: 200, body: answer };
    }
    if (vm && method === 'DELETE') {
      deletes.push(vm.name);
      vm.status = 'STOPPING';
      return { status: 200, body: newOperation('delete', vm) };
    }
    return computeError(501, 'notSimulated', `${method} ${path} is not simulated`);
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    readBody(request)
      .then((body) => {
        const url = new URL(request.url ?? '/', 'http://loopback');
        const answer = route(request.method ?? 'GET', url.pathname, url.searchParams, body);
        response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(JSON.stringify(answer.body));
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(JSON.stringify(computeError(500, 'backendError', String(error)).body));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // A real OAuth2 client holding an unexpired token signs requests offline. gaxios loads node-fetch with a
  // dynamic import() that jest's sandbox refuses, so it gets Node's own fetch.
  const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: globalThis.fetch } });
  authClient.setCredentials({
    access_token: 'ya29.simulated',
    token_type: 'Bearer',
    expiry_date: Date.now() + 3_600_000,
  });

  return {
    clientOptions: (): GceClientOptions => ({ apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient }),
    /** Every instances.insert the client sent: its requestId query parameter and Instance resource. */
    inserts,
    /** Names of the VMs instances.delete was sent for, in order. */
    deletes,
    /** The VM named `name` as the simulated GCE holds it; `deleted` once it is gone. */
    vm: (name: string): Readonly<SimulatedVm> | undefined => vms.get(name),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // the client keeps connections alive
      }),
  };
}

export type ComputeApiSimulator = Awaited<ReturnType<typeof startComputeApiSimulator>>;
