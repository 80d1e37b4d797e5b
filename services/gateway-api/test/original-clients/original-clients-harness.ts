import type { Database } from '@overcast/db';
import type { TestDatabase } from '@overcast/test-kit';
import {
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
  type StartGatewayOptions,
} from '../support/gateway-harness';
import { startRealBroker, type RealBroker } from '../support/real-broker';
import { sendRaw, type RawResponse } from '../support/raw-http';

// The originals' clients, replayed request for request: each request is written byte for byte as that client's own
// code sends it (method, target, exactly its headers, its body bytes), against the real gateway and the real broker
// (fake provider), and each test asserts only on what that client's code parses from the answer.

export interface OriginalClientsStack {
  gateway: RunningGateway;
  broker: RealBroker;
  database: Database;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startOriginalClientsStack(
  brokerSettings: Record<string, string> = {},
  gatewayOptions: Pick<StartGatewayOptions, 'snsCertificateAgent'> = {},
): Promise<OriginalClientsStack> {
  let testDatabase: TestDatabase | undefined;
  let database: Database | undefined;
  let broker: RealBroker | undefined;
  let gateway: RunningGateway | undefined;
  const close = async () => {
    await gateway?.stop();
    await broker?.stop();
    await database?.close();
    await testDatabase?.drop();
  };
  try {
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(testDatabase.url, brokerSettings);
    gateway = await startGateway({ database, bus: broker.gatewayBus, ...gatewayOptions });
    const token = await createToken(database, 'admin');
    const port = Number(new URL(gateway.url).port);
    return { gateway, broker, database, port, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Go's net/http: a URL's userinfo becomes `Authorization: Basic`, plus its User-Agent and Accept-Encoding (sendRaw
 * writes Host, Content-Length and Connection). No Content-Type: the worker's cloudbrain client sets none.
 */
export function goRequestHeaders(endpoint: URL): [string, string][] {
  const headers: [string, string][] = [['User-Agent', 'Go-http-client/1.1']];
  if (endpoint.username) {
    const userinfo = `${decodeURIComponent(endpoint.username)}:${decodeURIComponent(endpoint.password)}`;
    headers.push(['Authorization', `Basic ${Buffer.from(userinfo).toString('base64')}`]);
  }
  headers.push(['Accept-Encoding', 'gzip']);
  return headers;
}

/** hubot's robot.http (scoped-http-client): the header the script sets and a User-Agent; no Content-Type on a POST. */
export function hubotRequestHeaders(token: string): [string, string][] {
  return [
    ['User-Agent', 'Hubot/2.19.0'],
    ['Authorization', `token ${token}`],
  ];
}

export function send(
  stack: OriginalClientsStack,
  method: string,
  target: string,
  headers: [string, string][],
  body?: string,
): Promise<RawResponse> {
  return sendRaw(stack.port, { method, target, headers, body });
}

/** Go's json.Decoder into a struct: the named string fields, "" where the answer has null or nothing. */
export function decodeInto<Field extends string>(body: string, fields: readonly Field[]): Record<Field, string> {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(
    fields.map((field) => {
      const value = parsed[field];
      if (value !== null && value !== undefined && typeof value !== 'string')
        throw new Error(`${field} is ${typeof value}: Go's decoder refuses it for a string field`);
      return [field, value ?? ''];
    }),
  ) as Record<Field, string>;
}
