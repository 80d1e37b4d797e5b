import type { SampleRequest } from './sample-request';
import { queryString, wireBody } from './sample-request';

/** Redoc's and Scalar's `x-codeSamples` member: one tab per client. */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** POSIX shell single quotes: safe for any text. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const basicHeader = 'Authorization: Basic $(printf %s "$USERNAME:$PASSWORD" | base64)';

export function curlSample(sample: SampleRequest, serverUrl: string): CodeSample {
  const lines = [
    `curl${sample.method === 'GET' ? '' : ` -X ${sample.method}`} ${shellQuote(serverUrl + sample.path + queryString(sample))}`,
  ];
  if (sample.auth === 'token') lines.push(`-H "Authorization: Bearer $OVERCAST_TOKEN"`);
  if (sample.auth === 'basic') lines.push(`-u "$USERNAME:$PASSWORD"`);
  for (const [name, value] of Object.entries(sample.headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (sample.body) {
    lines.push(
      `-H ${shellQuote(`Content-Type: ${sample.body.contentType}`)}`,
      `--data ${shellQuote(wireBody(sample.body))}`,
    );
  }
  return { lang: 'Shell', label: 'curl', source: lines.join(' \\\n  ') };
}

/** `@overcast/sdk`'s typed `http` client: every operation of the spec, with the SDK's retries and errors. */
export function sdkSample(sample: SampleRequest, serverUrl: string): CodeSample {
  const clientOptions = [`baseUrl: ${JSON.stringify(serverUrl)}`];
  if (sample.auth === 'token') clientOptions.push('token: process.env.OVERCAST_TOKEN');
  if (sample.auth === 'basic') {
    clientOptions.push(
      'headers: { Authorization: `Basic ${btoa(`${process.env.USERNAME}:${process.env.PASSWORD}`)}` }',
    );
  }
  const params: string[] = [];
  if (Object.keys(sample.pathParameters).length > 0) params.push(`path: ${literal(sample.pathParameters)}`);
  if (Object.keys(sample.query).length > 0) params.push(`query: ${literal(sample.query)}`);
  if (Object.keys(sample.headers).length > 0) params.push(`header: ${literal(sample.headers)}`);
  const init: string[] = [];
  if (params.length > 0) init.push(`params: { ${params.join(', ')} }`);
  if (sample.body) {
    init.push(`body: ${JSON.stringify(sample.body.value, null, 2).replaceAll('\n', '\n  ')}`);
    if (sample.body.contentType === 'application/x-www-form-urlencoded') {
      init.push('bodySerializer: (body) => new URLSearchParams(body as Record<string, string>)');
    }
  }
  if (!sample.answersJson) init.push("parseAs: 'text'");
  const call = `overcast.http.${sample.method}(${JSON.stringify(sample.template)}${
    init.length === 0 ? '' : `, {\n  ${init.join(',\n  ')},\n}`
  })`;
  const source = [
    "import { createClient } from '@overcast/sdk';",
    '',
    `const overcast = createClient({ ${clientOptions.join(', ')} });`,
    `const { data, error } = await ${call};`,
  ].join('\n');
  return { lang: 'TypeScript', label: 'TypeScript SDK', source };
}

/** `overcast api`, the CLI's way to any operation (as `gh api`), with the token and URL it is configured with. */
export function cliSample(sample: SampleRequest): CodeSample {
  const parts = [`overcast api ${shellQuote(sample.path + queryString(sample))}`];
  if (sample.method !== 'GET') parts.push(`-X ${sample.method}`);
  if (sample.auth === 'basic') parts.push(`-H "${basicHeader}"`);
  for (const [name, value] of Object.entries(sample.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  let source = parts.join(' ');
  if (sample.body) {
    if (!sample.body.contentType.includes('json'))
      source += ` -H ${shellQuote(`Content-Type: ${sample.body.contentType}`)}`;
    source += ` --input - <<'EOF'\n${wireBody(sample.body)}\nEOF`;
  }
  return { lang: 'Shell', label: 'overcast CLI', source };
}

function literal(values: Record<string, string>): string {
  const members = Object.entries(values).map(
    ([name, value]) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: ${JSON.stringify(value)}`,
  );
  return `{ ${members.join(', ')} }`;
}
