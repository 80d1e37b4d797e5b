import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsFault } from './aws-fault';
import { createEcsSimulator } from './ecs-simulator';

/** One AWS call as the endpoint saw it: `ECS CreateService`, `ELB CreateLoadBalancer`, `Route53 …`. */
export interface AwsCall {
  action: string;
  /** The parsed input: ECS's JSON, the query protocols' form fields, Route53's path and body. */
  input: Record<string, unknown>;
}

/**
 * Called before each call's effect (`before`) and after its answer was written (`after`); a fault test kills the
 * app manager there. What `before` awaits holds the call (a test pauses every deploy at its first call with it).
 */
export type AwsCallHook = (call: AwsCall, phase: 'before' | 'after') => void | Promise<void>;

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tag = (name: string, value: unknown): string => `<${name}>${xml(String(value))}</${name}>`;

/**
 * AWS as the app manager's aws container platform reaches it through AWS_ENDPOINT_URL: ECS (JSON 1.1), the classic
 * ELB (query), EC2's DescribeSubnets and Route53 (REST XML) on one loopback port, with their state in the test
 * process, so it outlives a SIGKILLed app manager. ELB and Route53 keep what AWS keeps: a balancer per name
 * (CreateLoadBalancer of an existing name answers it) and a record per name (UPSERT); `created` counts what each
 * create really made, so a duplicate shows as a count above the number of resources.
 */
export async function startAwsEndpoint(options: { zoneName: string; hook?: AwsCallHook }) {
  const ecs = createEcsSimulator();
  const balancers = new Map<string, { dnsName: string; listeners: Record<string, string>[] }>();
  const records = new Map<string, string>();
  const created = { loadBalancers: 0, records: 0 };
  let hook = options.hook;

  function elbAnswer(action: string, form: URLSearchParams): string {
    const name = form.get('LoadBalancerName') ?? form.get('LoadBalancerNames.member.1') ?? '';
    const existing = balancers.get(name);
    switch (action) {
      case 'DescribeLoadBalancers': {
        if (!existing) throw new AwsFault('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);
        const listeners = existing.listeners
          .map(
            (listener) =>
              `<member><Listener>${Object.entries(listener)
                .map(([k, v]) => tag(k, v))
                .join('')}</Listener></member>`,
          )
          .join('');
        const description = `${tag('LoadBalancerName', name)}${tag('DNSName', existing.dnsName)}<ListenerDescriptions>${listeners}</ListenerDescriptions>`;
        return `<LoadBalancerDescriptions><member>${description}</member></LoadBalancerDescriptions>`;
      }
      case 'CreateLoadBalancer': {
        if (!existing) {
          const listeners: Record<string, string>[] = [];
          for (let index = 1; form.has(`Listeners.member.${index}.Protocol`); index += 1) {
            const field = (key: string) => form.get(`Listeners.member.${index}.${key}`) ?? '';
            listeners.push({
              Protocol: field('Protocol'),
              LoadBalancerPort: field('LoadBalancerPort'),
              InstanceProtocol: field('InstanceProtocol'),
              InstancePort: field('InstancePort'),
            });
          }
          balancers.set(name, { dnsName: `${name}-1.elb.simulated.amazonaws.com`, listeners });
          created.loadBalancers += 1;
        }
        return tag('DNSName', balancers.get(name)?.dnsName);
      }
      case 'DeleteLoadBalancer':
        balancers.delete(name);
        return '';
      case 'ConfigureHealthCheck':
      case 'ModifyLoadBalancerAttributes':
        return '';
      default:
        throw new AwsFault('InvalidAction', `${action} is not simulated`);
    }
  }

  function route53Answer(method: string, path: string, body: string): string {
    const zone = /^\/2013-04-01\/hostedzone\/([^/]+)/.exec(path)?.[1] ?? '';
    if (method === 'GET' && path.endsWith(`/hostedzone/${zone}`)) {
      return `<GetHostedZoneResponse><HostedZone>${tag('Id', `/hostedzone/${zone}`)}${tag('Name', options.zoneName)}${tag('CallerReference', zone)}</HostedZone></GetHostedZoneResponse>`;
    }
    if (method === 'POST' && /\/rrset\/?$/.test(path)) {
      for (const change of body.split('<Change>').slice(1)) {
        const action = /<Action>([^<]+)<\/Action>/.exec(change)?.[1];
        const name = /<Name>([^<]+)<\/Name>/.exec(change)?.[1] ?? '';
        const value = /<Value>([^<]+)<\/Value>/.exec(change)?.[1] ?? '';
        if (action === 'DELETE') records.delete(name);
        else {
          if (!records.has(name)) created.records += 1;
          records.set(name, value);
        }
      }
      return `<ChangeResourceRecordSetsResponse><ChangeInfo>${tag('Id', '/change/C1')}${tag('Status', 'PENDING')}${tag('SubmittedAt', new Date().toISOString())}</ChangeInfo></ChangeResourceRecordSetsResponse>`;
    }
    throw new AwsFault('InvalidInput', `${method} ${path} is not simulated`);
  }

  /** The call a request is, and how to answer it (status, content type, body). */
  function route(request: IncomingMessage, body: string) {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      const operation = target.split('.').pop() ?? '';
      return {
        call: { action: `ECS ${operation}`, input },
        answer: () => ({ type: 'application/x-amz-json-1.1', body: JSON.stringify(ecs.answer(operation, input)) }),
      };
    }
    const path = request.url ?? '/';
    if (path.startsWith('/2013-04-01/')) {
      return {
        call: { action: `Route53 ${request.method} ${path}`, input: { path, body } },
        answer: () => ({ type: 'text/xml', body: route53Answer(request.method ?? 'GET', path, body) }),
      };
    }
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? '';
    if (action === 'DescribeSubnets') {
      const subnets = '<subnetSet><item><subnetId>subnet-simulated</subnetId></item></subnetSet>';
      return {
        call: { action: 'EC2 DescribeSubnets', input: Object.fromEntries(form) },
        answer: () => ({ type: 'text/xml', body: `<DescribeSubnetsResponse>${subnets}</DescribeSubnetsResponse>` }),
      };
    }
    return {
      call: { action: `ELB ${action}`, input: Object.fromEntries(form) },
      answer: () => ({
        type: 'text/xml',
        body: `<${action}Response><${action}Result>${elbAnswer(action, form)}</${action}Result><ResponseMetadata><RequestId>simulated</RequestId></ResponseMetadata></${action}Response>`,
      }),
    };
  }

  function fault(response: ServerResponse, call: AwsCall, error: AwsFault): void {
    if (call.action.startsWith('ECS ')) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code });
      response.end(JSON.stringify({ __type: error.code, message: error.message }));
      return;
    }
    response.writeHead(400, { 'content-type': 'text/xml' });
    response.end(
      `<ErrorResponse><Error><Type>Sender</Type>${tag('Code', error.code)}${tag('Message', error.message)}</Error><RequestId>simulated</RequestId></ErrorResponse>`,
    );
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { call, answer } = route(request, Buffer.concat(chunks).toString('utf8'));
      void (async () => {
        await hook?.(call, 'before');
        try {
          const { type, body } = answer();
          response.writeHead(200, { 'content-type': type });
          response.end(body);
        } catch (error) {
          if (!(error instanceof AwsFault)) throw error;
          fault(response, call, error);
        }
        await hook?.(call, 'after');
      })().catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    ecs,
    balancers,
    records,
    /** Creates that made something new: a duplicate would count above the resources there are. */
    created: () => ({ ...ecs.created, ...created }),
    setHook(next: AwsCallHook | undefined) {
      hook = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type AwsEndpoint = Awaited<ReturnType<typeof startAwsEndpoint>>;
