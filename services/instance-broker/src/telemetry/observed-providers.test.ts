import { ProviderError, type ComputeProvider } from '@overcast/providers';
import { Registry } from 'prom-client';
import { observeProviders } from './observed-providers';

function providerFailingWith(error: Error): ComputeProvider {
  const fail = () => Promise.reject(error);
  return {
    name: 'flaky',
    machineTypeOf: () => 'standard',
    createInstance: fail,
    terminateInstance: fail,
    getInstance: () => Promise.resolve(null),
    listInstances: fail,
    ensureSshSecurityGroup: fail,
    findNewestImage: fail,
  };
}

describe('observed providers', () => {
  it('times every call by operation and outcome and counts errors by whether they are worth retrying', async () => {
    const registry = new Registry();
    const provider = providerFailingWith(new ProviderError('quota exceeded', { retryable: false }));
    const directory = observeProviders({ names: () => ['flaky'], find: () => provider }, registry);
    const observed = directory.find('flaky');

    await expect(observed?.terminateInstance('i-1')).rejects.toThrow('quota exceeded');
    await expect(observed?.getInstance('i-1')).resolves.toBeNull();
    expect(observed?.name).toBe('flaky');
    expect(directory.find('flaky')).toBe(observed);

    const text = await registry.metrics();
    expect(text).toMatch(
      /^provider_call_errors_total{provider="flaky",operation="terminateInstance",retryable="false"} 1$/m,
    );
    expect(text).toMatch(
      /^provider_call_duration_seconds_count{provider="flaky",operation="getInstance",outcome="ok"} 1$/m,
    );
    expect(text).not.toMatch(/i-1/);
  });
});
