import { createResponseChecker, openApiDocument } from '@overcast/api-spec';
import type { FakeOvercastServer } from '../../src/testing';
import { startFakeOvercastServer } from '../../src/testing';

export interface SpecCheckedServer {
  server: FakeOvercastServer;
  /** A fetch that records every answer that breaks openapi.yaml. */
  fetch: (request: Request) => Promise<Response>;
  problems: string[];
}

const check = createResponseChecker(openApiDocument);

async function readBody(response: Response): Promise<unknown> {
  const text = await response.clone().text();
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  // An empty text body is still a text (an empty console); only a bodiless answer is undefined.
  if (text === '') return isJson || !response.headers.has('content-type') ? undefined : '';
  return isJson ? (JSON.parse(text) as unknown) : text;
}

/** The fake gateway, with every response checked against the spec so the SDK is tested against the contract. */
export async function startSpecCheckedServer(): Promise<SpecCheckedServer> {
  const server = await startFakeOvercastServer();
  const problems: string[] = [];
  return {
    server,
    problems,
    fetch: async (request) => {
      const response = await fetch(request);
      problems.push(
        ...check({
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          contentType: response.headers.get('content-type'),
          body: await readBody(response),
          headers: response.headers,
        }),
      );
      return response;
    },
  };
}
