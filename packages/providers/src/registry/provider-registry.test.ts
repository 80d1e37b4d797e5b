import { AppError } from '@overcast/contracts';
import { createFakeComputeProvider } from '../fake';
import { createProviderRegistry } from './provider-registry';

describe('provider registry', () => {
  it('finds providers by their registered name and lists the names sorted', () => {
    const local = createFakeComputeProvider({ name: 'local' });
    const gce = createFakeComputeProvider({ name: 'gce' });
    const registry = createProviderRegistry([local, gce]);

    expect(registry.get('gce')).toBe(gce);
    expect(registry.has('local')).toBe(true);
    expect(registry.names()).toEqual(['gce', 'local']);
  });

  it('registers one implementation under operator-chosen names', () => {
    const fake = createFakeComputeProvider();
    const registry = createProviderRegistry({ 'gce-staging': fake, gce: fake });

    expect(registry.get('gce-staging')).toBe(fake);
    expect(registry.names()).toEqual(['gce', 'gce-staging']);
  });

  it('answers an unknown provider with a bad_request naming the field and the choices', () => {
    const registry = createProviderRegistry([createFakeComputeProvider({ name: 'local' })]);

    let thrown: unknown;
    try {
      registry.get('azure');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).toJSON()).toEqual({
      code: 'bad_request',
      message: 'unknown provider "azure"',
      details: [{ path: 'provider', message: 'must be one of: local' }],
    });
  });

  it('refuses two providers with the same name', () => {
    expect(() => createProviderRegistry([createFakeComputeProvider(), createFakeComputeProvider()])).toThrow(
      '"fake" is registered twice',
    );
  });

  it('closes each provider once', async () => {
    const close = jest.fn(async () => undefined);
    const provider = { ...createFakeComputeProvider(), close };
    const registry = createProviderRegistry({ a: provider, b: provider });

    await registry.close();

    expect(close).toHaveBeenCalledTimes(1);
  });
});
