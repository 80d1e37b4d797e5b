import type { Instance } from '@overcast/sdk';
import { waitFor } from '@overcast/test-kit';
import type { ControlPlane } from './control-plane';

/** Generous: these wait on real processes and a 200 ms refresh, never on a clock the test asserts. */
export const patience = { intervalMs: 50, timeoutMs: 20_000 };

function lastStatus(controlPlane: ControlPlane, method: string, path: string): number | undefined {
  return controlPlane.exchanges.filter((exchange) => exchange.method === method && exchange.path === path).at(-1)
    ?.status;
}

/** POST /instances through the SDK: answered 200 with the instance `creating`. */
export async function createInstance(
  controlPlane: ControlPlane,
  request: Parameters<ControlPlane['client']['instances']['create']>[0],
): Promise<Instance> {
  const created = await controlPlane.client.instances.create(request);
  expect(lastStatus(controlPlane, 'POST', '/instances')).toBe(200);
  expect(created).toEqual(
    expect.objectContaining({ provider: request.provider, image: request.image, state: 'creating' }),
  );
  return created;
}

/** Waits (through the SDK) until the instance runs with an address and the provider's id. */
export async function waitUntilRunning(controlPlane: ControlPlane, id: string): Promise<Instance> {
  const running = await controlPlane.client.instances.waitFor(id, 'running', patience);
  expect(running.ip_address).toEqual(expect.any(String));
  expect(running.upstream_id).toEqual(expect.any(String));
  return running;
}

/** DELETE answers 200 terminating; then GET answers 410 Gone with the instance terminated. */
export async function deleteUntilGone(controlPlane: ControlPlane, id: string): Promise<Instance> {
  const terminating = await controlPlane.client.instances.delete(id);
  expect(lastStatus(controlPlane, 'DELETE', `/instances/${id}`)).toBe(200);
  expect(terminating).toEqual(expect.objectContaining({ id, state: 'terminating' }));
  const gone = await controlPlane.client.instances.waitFor(id, 'terminated', patience);
  expect(lastStatus(controlPlane, 'GET', `/instances/${id}`)).toBe(410);
  expect(gone).toEqual(expect.objectContaining({ id, state: 'terminated' }));
  return gone;
}

/** `client.instances.list({ provider })` holds the instance. */
export async function expectListed(controlPlane: ControlPlane, provider: string, id: string): Promise<void> {
  const page = await controlPlane.client.instances.list({ provider });
  expect(page.instances.map((instance) => instance.id)).toContain(id);
  expect(page.instances.every((instance) => instance.provider === provider)).toBe(true);
}

/** Whether a process with this pid still exists (signal 0 only checks). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { waitFor };
