import type { ChildService } from './child-service';
import { measureCpu, type ProcessGroups } from './process-cpu';

/** What a piece of load cost the machine: CPU ms per process group, database queries per service. */
export interface Costs {
  cpuMs: Record<string, number>;
  databaseQueries: Record<string, number>;
}

export type CostMeter = <T>(work: () => Promise<T>) => Promise<{ result: T; costs: Costs }>;

/** A meter over these process groups and these services' query counters. */
export function createCostMeter(
  groups: () => Promise<ProcessGroups>,
  services: Record<string, ChildService<unknown>>,
): CostMeter {
  const readQueries = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(services).map(
          async ([name, child]) => [name, (await child.counters()).databaseQueries ?? 0] as const,
        ),
      ),
    );
  return async (work) => {
    const before = await readQueries();
    const { result, cpuMs } = await measureCpu(groups, work);
    const after = await readQueries();
    const databaseQueries = Object.fromEntries(
      Object.entries(after).map(([name, count]) => [name, count - (before[name] ?? 0)]),
    );
    return { result, costs: { cpuMs, databaseQueries } };
  };
}

/** "CPU ms/request: gateway 0.520, …; DB queries/request: gateway 1.0, broker 1.0". */
export function formatCosts(costs: Costs, requests: number): string {
  const per = (value: number) => value / Math.max(1, requests);
  const cpu = Object.entries(costs.cpuMs)
    .filter(([, ms]) => per(ms) >= 0.005)
    .map(([name, ms]) => `${name} ${per(ms).toFixed(3)}`)
    .join(', ');
  const queries = Object.entries(costs.databaseQueries)
    .map(([name, count]) => `${name} ${per(count).toFixed(1)}`)
    .join(', ');
  return `CPU ms/request: ${cpu || 'none measured'}; DB queries/request: ${queries}`;
}
