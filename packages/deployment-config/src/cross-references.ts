import type { PathSegment } from './yaml/worker-protocol';

/** A problem found between sections, at the path it is written at. */
export interface ReferenceProblem {
  path: PathSegment[];
  message: string;
}

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(value: unknown): Array<[string, unknown]> {
  return isRecord(value) ? Object.entries(value) : [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `depends-on` entries as written: a name, or `{ service: name }`. */
function dependencyName(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (isRecord(entry) && typeof entry.service === 'string') return entry.service;
  return undefined;
}

/**
 * Checks that the sections agree with each other. It reads the merged document as written, not the schema's
 * output, so it runs even when the schema found errors elsewhere: every error is reported at once, and a typo
 * in one service does not hide an unknown profile in another (Photon's own example has both).
 */
export function checkCrossReferences(document: unknown): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const root = isRecord(document) ? document : {};
  const services = new Set(entries(root.services).map(([name]) => name));
  const dependencies = new Map<string, Array<{ target: string; index: number }>>();

  for (const [name, service] of entries(root.services)) {
    if (!isRecord(service)) continue;
    const edges: Array<{ target: string; index: number }> = [];
    list(service['depends-on']).forEach((entry, index) => {
      const target = dependencyName(entry);
      if (target === undefined) return;
      const path = ['services', name, 'depends-on', index];
      if (!services.has(target)) problems.push({ path, message: `depends on "${target}", which is not a service` });
      else edges.push({ target, index });
    });
    dependencies.set(name, edges);
    list(service.expose).forEach((expose, exposeIndex) => {
      if (!isRecord(expose)) return;
      list(expose.to).forEach((target, targetIndex) => {
        if (!isRecord(target)) return;
        const path = ['services', name, 'expose', exposeIndex, 'to', targetIndex];
        if (typeof target.service === 'string' && !services.has(target.service)) {
          problems.push({ path: [...path, 'service'], message: `"${target.service}" is not a service` });
        }
        if (target.service === undefined && target.global !== true) {
          problems.push({
            path,
            message: 'names no service, so it must be global: true (global: false needs a service)',
          });
        }
      });
    });
  }
  problems.push(...findDependencyCycles(dependencies));
  problems.push(...checkPlacements(root));
  return problems;
}

function checkPlacements(root: Record_): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const deployment = isRecord(root.deployment) ? root.deployment : {};
  const services = new Set(entries(root.services).map(([name]) => name));
  const profiles = new Map(
    entries(deployment.datacenters).map(([name, datacenter]) => [
      name,
      new Set(isRecord(datacenter) ? entries(datacenter.profiles).map(([profile]) => profile) : []),
    ]),
  );
  for (const [service, placements] of entries(deployment.services)) {
    if (!services.has(service)) {
      problems.push({ path: ['deployment', 'services', service], message: `"${service}" is not a service` });
    }
    for (const [datacenter, placement] of entries(placements)) {
      const path = ['deployment', 'services', service, datacenter];
      const available = profiles.get(datacenter);
      if (!available) {
        problems.push({ path, message: `"${datacenter}" is not a datacenter of deployment.datacenters` });
        continue;
      }
      if (isRecord(placement) && typeof placement.profile === 'string' && !available.has(placement.profile)) {
        problems.push({
          path: [...path, 'profile'],
          message: `"${placement.profile}" is not a profile of datacenter "${datacenter}"`,
        });
      }
    }
  }
  return problems;
}

/**
 * Every `depends-on` cycle once, reported at the dependency that closes it. Services that depend on nothing
 * left are stripped repeatedly (Kahn's algorithm); each service left then depends on another one left, so a walk
 * along dependencies from it must come back to a service already on the walk.
 */
function findDependencyCycles(graph: Map<string, Array<{ target: string; index: number }>>): ReferenceProblem[] {
  const dependencyCount = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [name, edges] of graph) {
    dependencyCount.set(name, edges.length);
    for (const { target } of edges) {
      const list = dependents.get(target);
      if (list) list.push(name);
      else dependents.set(target, [name]);
    }
  }
  const settled = [...dependencyCount].filter(([, count]) => count === 0).map(([name]) => name);
  const remaining = new Set(graph.keys());
  while (settled.length > 0) {
    const name = settled.pop()!;
    remaining.delete(name);
    for (const dependent of dependents.get(name) ?? []) {
      const count = (dependencyCount.get(dependent) ?? 0) - 1;
      dependencyCount.set(dependent, count);
      if (count === 0) settled.push(dependent);
    }
  }
  const problems: ReferenceProblem[] = [];
  const seen = new Set<string>();
  for (const start of remaining) {
    if (seen.has(start)) continue;
    const walk: string[] = [];
    const onWalk = new Map<string, number>();
    let current = start;
    while (!onWalk.has(current) && !seen.has(current)) {
      onWalk.set(current, walk.length);
      walk.push(current);
      current = (graph.get(current) ?? []).find(({ target }) => remaining.has(target))!.target;
    }
    walk.forEach((name) => seen.add(name));
    const cycleStart = onWalk.get(current);
    // A walk that ran into a cycle found earlier adds no new one.
    if (cycleStart === undefined) continue;
    const cycle = walk.slice(cycleStart);
    const last = cycle[cycle.length - 1]!;
    const closing = (graph.get(last) ?? []).find(({ target }) => target === current)!;
    problems.push({
      path: ['services', last, 'depends-on', closing.index],
      message: `depends-on cycle: ${[...cycle, current].join(' → ')}`,
    });
  }
  return problems;
}
