/**
 * Concurrent mixed traffic of several tenants through the public API (reads, lists, creates, deletes, token churn),
 * checking every answer for anything of another tenant's. The raw HTTP answers are checked, not an SDK's view.
 */
export interface TrafficTenant {
  name: string;
  token: string;
}

export interface TrafficReport {
  answers: number;
  /** Answers that carried another tenant's data, or found another tenant's instance. */
  leaks: string[];
  /** Answers with an unexpected status (5xx, or a 4xx a correct server would not give). */
  failures: string[];
}

interface TenantState extends TrafficTenant {
  /** Learned from the first token it creates: the id its records carry. */
  tenantId: string;
  instances: Set<string>;
  tokens: Set<number>;
}

type Operation = (tenant: TenantState, others: TenantState[]) => Promise<void>;

/** Answers that mean "not now" rather than "no". */
const transient = [503, 504];
const maxRetries = 3;

function pick<T>(items: T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

export async function runTenantTraffic(
  baseUrl: string,
  tenants: TrafficTenant[],
  options: { requests: number; concurrencyPerTenant: number },
): Promise<TrafficReport> {
  const report: TrafficReport = { answers: 0, leaks: [], failures: [] };
  const states: TenantState[] = tenants.map((tenant) => ({
    ...tenant,
    tenantId: '',
    instances: new Set(),
    tokens: new Set(),
  }));
  const ownerOfInstance = new Map<string, string>();
  const ownerOfToken = new Map<number, string>();

  async function call(
    tenant: TenantState,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const send = () =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `token ${tenant.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let response = await send();
    // A service too busy to answer within the gateway's RPC timeout (504) or shedding load (503) is asked again, as
    // the SDK does: on a loaded CI machine that is the machine's speed, not a fault. One that never answers fails.
    for (let retry = 1; retry <= maxRetries && transient.includes(response.status); retry += 1) {
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** retry));
      response = await send();
    }
    report.answers += 1;
    const text = await response.text();
    const json: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null;
    if (response.status >= 500)
      report.failures.push(`${tenant.name} ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return { status: response.status, json };
  }

  const expectStatus = (tenant: TenantState, what: string, status: number, allowed: number[]) => {
    if (!allowed.includes(status)) report.failures.push(`${tenant.name} ${what}: ${status}`);
  };

  const operations: [number, Operation][] = [
    [
      30,
      async (tenant) => {
        const { status, json } = await call(tenant, 'GET', '/tokens');
        expectStatus(tenant, 'list tokens', status, [200]);
        for (const token of (json as { tokens?: { id: number; tenant_id: string }[] } | null)?.tokens ?? []) {
          const owner = ownerOfToken.get(token.id);
          if (token.tenant_id !== tenant.tenantId || (owner !== undefined && owner !== tenant.name)) {
            report.leaks.push(`${tenant.name} listed token ${token.id} of ${owner ?? token.tenant_id}`);
          }
        }
      },
    ],
    [
      20,
      async (tenant) => {
        const { status, json } = await call(tenant, 'GET', '/instances?limit=100');
        expectStatus(tenant, 'list instances', status, [200]);
        for (const instance of (json as { instances?: { id: string }[] } | null)?.instances ?? []) {
          const owner = ownerOfInstance.get(instance.id);
          if (owner !== undefined && owner !== tenant.name)
            report.leaks.push(`${tenant.name} listed instance ${instance.id} of ${owner}`);
        }
      },
    ],
    [
      15,
      async (tenant) => {
        const id = pick([...tenant.instances]);
        if (!id) return;
        const { status, json } = await call(tenant, 'GET', `/instances/${id}`);
        expectStatus(tenant, `get own instance ${id}`, status, [200, 410]);
        if ((json as { id?: string } | null)?.id !== id)
          report.failures.push(`${tenant.name} asked for ${id}, got ${JSON.stringify(json).slice(0, 120)}`);
      },
    ],
    [
      10,
      async (tenant, others) => {
        const id = pick(others.flatMap((other) => [...other.instances]));
        if (!id) return;
        const { status } = await call(tenant, 'GET', `/instances/${id}`);
        // A 5xx is already a failure (call); only an answer that found the instance is a leak.
        if (status < 400) report.leaks.push(`${tenant.name} got ${status} for another tenant's instance ${id}`);
        else if (status < 500) expectStatus(tenant, `get another tenant's instance ${id}`, status, [404]);
      },
    ],
    [
      12,
      async (tenant) => {
        const { status, json } = await call(tenant, 'POST', '/instances', {
          provider: 'fake',
          image: 'standard-image',
          instance_type: 'standard',
        });
        // A tenant at its live-instance quota is refused: the right answer, and nothing of another tenant's.
        const refusedByQuota =
          status === 403 && (json as { error?: { code?: string } } | null)?.error?.code === 'quota_exceeded';
        if (!refusedByQuota) expectStatus(tenant, 'create instance', status, [200, 201]);
        const id = (json as { id?: string } | null)?.id;
        if (id) {
          tenant.instances.add(id);
          ownerOfInstance.set(id, tenant.name);
        }
      },
    ],
    [
      5,
      async (tenant) => {
        const id = pick([...tenant.instances]);
        if (!id) return;
        const { status } = await call(tenant, 'DELETE', `/instances/${id}`);
        expectStatus(tenant, `delete own instance ${id}`, status, [200, 202, 410]);
      },
    ],
    [
      8,
      async (tenant) => {
        const { status, json } = await call(tenant, 'POST', '/tokens', {
          description: `churn of ${tenant.name}`,
          role: 'developer',
        });
        expectStatus(tenant, 'create token', status, [200, 201]);
        const id = (json as { id?: number } | null)?.id;
        if (id === undefined) return;
        ownerOfToken.set(id, tenant.name);
        tenant.tokens.add(id);
        const revoked = await call(tenant, 'DELETE', `/tokens/${id}`);
        expectStatus(tenant, `revoke own token ${id}`, revoked.status, [200, 204]);
      },
    ],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);
  const chooseOperation = (): Operation => {
    let roll = Math.random() * totalWeight;
    for (const [weight, operation] of operations) {
      roll -= weight;
      if (roll < 0) return operation;
    }
    return operations[0]![1];
  };

  for (const tenant of states) {
    const { json } = await call(tenant, 'POST', '/tokens', {
      description: `id probe of ${tenant.name}`,
      role: 'developer',
    });
    tenant.tenantId = (json as { tenant_id: string }).tenant_id;
    ownerOfToken.set((json as { id: number }).id, tenant.name);
  }
  if (new Set(states.map((tenant) => tenant.tenantId)).size !== states.length)
    throw new Error('the tenants are not distinct');

  let started = 0;
  const worker = async (tenant: TenantState) => {
    const others = states.filter((other) => other !== tenant);
    while (started < options.requests) {
      started += 1;
      await chooseOperation()(tenant, others);
    }
  };
  await Promise.all(
    states.flatMap((tenant) => Array.from({ length: options.concurrencyPerTenant }, () => worker(tenant))),
  );
  return report;
}
