import { createResponseChecker, openApiDocument } from '@overcast/api-spec';

/**
 * A fetch that also checks every answer against the OpenAPI spec (documented status, media type, body
 * schema, headers); the problems collect in `problems` for a suite's last test to assert on.
 */
export function specCheckedFetch(): { fetch: typeof fetch; problems: string[] } {
  const check = createResponseChecker(openApiDocument);
  const problems: string[] = [];
  const checkedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const contentType = response.headers.get('content-type');
    const text = await response.clone().text();
    const body = text === '' ? undefined : contentType?.includes('json') ? (JSON.parse(text) as unknown) : text;
    problems.push(
      ...check({
        method: init?.method ?? 'GET',
        path: url.pathname,
        status: response.status,
        contentType,
        body,
        headers: response.headers,
      }),
    );
    return response;
  };
  return { fetch: checkedFetch, problems };
}
