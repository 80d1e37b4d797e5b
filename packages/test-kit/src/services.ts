export { testAmqpUrl, testPostgresUrl } from './urls';

/** Set by the jest global setup after probing; suites that need a service run only when it answered. */
export function hasPostgres(): boolean {
  return process.env.OVERCAST_TEST_POSTGRES === '1';
}

export function hasRabbitMq(): boolean {
  return process.env.OVERCAST_TEST_RABBITMQ === '1';
}

/**
 * `describe` when the service answered, else `describe.skip`. Resolved when called, not when imported, so
 * code outside jest (benchmarks) can import this package.
 */
function describeWhen(available: () => boolean): jest.Describe {
  const select = (): jest.Describe => (available() ? describe : describe.skip);
  return new Proxy((() => undefined) as unknown as jest.Describe, {
    apply: (_target, _this, args: Parameters<jest.Describe>) => select()(...args),
    get: (_target, property: keyof jest.Describe) => select()[property],
  });
}

export const describeWithPostgres = describeWhen(hasPostgres);
export const describeWithRabbitMq = describeWhen(hasRabbitMq);
export const describeWithServices = describeWhen(() => hasPostgres() && hasRabbitMq());
