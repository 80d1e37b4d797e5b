export { testAmqpUrl, testPostgresUrl } from './urls';

/** Set by the jest global setup after probing; suites that need a service run only when it answered. */
export function hasPostgres(): boolean {
  return process.env.OVERCAST_TEST_POSTGRES === '1';
}

export function hasRabbitMq(): boolean {
  return process.env.OVERCAST_TEST_RABBITMQ === '1';
}

export const describeWithPostgres: jest.Describe = hasPostgres() ? describe : describe.skip;
export const describeWithRabbitMq: jest.Describe = hasRabbitMq() ? describe : describe.skip;
export const describeWithServices: jest.Describe = hasPostgres() && hasRabbitMq() ? describe : describe.skip;
