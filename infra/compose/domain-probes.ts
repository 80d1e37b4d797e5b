// One cheap read per domain, asked of a running gateway: each answers 200 when its service is wired end to end
// (gateway route → bus → the service → its schema). A path the gateway's own spec does not serve yet is skipped
// and said so, so the check follows the routes as they land.

/** A list read of each domain's service; an empty tenant answers 200 with an empty list. */
export const domainProbePaths: Record<string, string> = {
  'app-manager': '/districts',
  'image-inspector': '/api/v1/account/',
  registry: '/datacenters',
};

export interface DomainProbe {
  service: string;
  path: string;
  /** The status answered, or undefined when the gateway's spec has no GET on the path. */
  status?: number;
}

export async function probeDomains(url: string, token: string, services: readonly string[]): Promise<DomainProbe[]> {
  const specResponse = await fetch(new URL('/openapi.json', url));
  if (!specResponse.ok) throw new Error(`GET /openapi.json answered ${specResponse.status}`);
  const spec = (await specResponse.json()) as { paths?: Record<string, { get?: unknown }> };
  const probes: DomainProbe[] = [];
  for (const service of services) {
    const path = domainProbePaths[service];
    if (path === undefined) continue;
    if (spec.paths?.[path]?.get === undefined) {
      probes.push({ service, path });
      continue;
    }
    const response = await fetch(new URL(path, url), { headers: { Authorization: `token ${token}` } });
    await response.arrayBuffer();
    probes.push({ service, path, status: response.status });
  }
  return probes;
}
