/**
 * hello-web, the sample image of the local catalog. With no arguments (or `serve`) it answers every HTTP request
 * on OVERCAST_TASK_IP:PORT with JSON {app, service, task, release, greeting}, so scaling, env vars and rollback
 * can be seen from a terminal. As a one-off or cron command: `echo <words>` prints them, `greet` prints the
 * greeting, `sleep <seconds>` waits, `exit <code>` exits with it. Runs through Node's type stripping.
 */
import { createServer, type Server } from 'node:http';

const env = process.env;
const [command = 'serve', ...words] = process.argv.slice(2);
const identity = {
  app: env.OVERCAST_APP ?? null,
  service: env.OVERCAST_SERVICE ?? null,
  task: env.OVERCAST_TASK_ID ?? null,
  release: env.OVERCAST_RELEASE ? Number(env.OVERCAST_RELEASE) : null,
  greeting: env.GREETING ?? 'hello',
};

/**
 * A kept-alive connection is closed after this many answers (nginx's keepalive_requests; the catalog entry sets 4):
 * a balancer that spreads connections then spreads a kept-alive client too, a few requests at a time. Unset or 0:
 * never.
 */
const requestsPerConnection = Number(env.REQUESTS_PER_CONNECTION ?? 0) || Number.POSITIVE_INFINITY;

function listen(options: { host: string; port: number; reusePort?: boolean }): Server {
  const body = JSON.stringify(identity);
  const answered = new WeakMap<object, number>();
  const server = createServer((request, response) => {
    request.resume();
    const count = (answered.get(request.socket) ?? 0) + 1;
    answered.set(request.socket, count);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      // Node closes the connection once this answer is sent (its maxRequestsPerSocket would answer 503 instead to
      // a client that sends on regardless).
      ...(count >= requestsPerConnection && { connection: 'close' }),
    });
    response.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(options, () =>
    console.log(`hello-web ${identity.task ?? ''} listening on ${options.host}:${options.port}`),
  );
  return server;
}

function serve(): void {
  // Its own address: health checks and whoever asks this task.
  const servers = [listen({ host: env.OVERCAST_TASK_IP ?? '127.0.0.1', port: Number(env.PORT ?? 8080) })];
  // The service's balancer address, shared with the service's other tasks: the kernel spreads its connections.
  if (env.OVERCAST_LB_IP && env.OVERCAST_LB_PORT) {
    servers.push(listen({ host: env.OVERCAST_LB_IP, port: Number(env.OVERCAST_LB_PORT), reusePort: true }));
  }
  process.once('SIGTERM', () => {
    let open = servers.length;
    for (const server of servers) server.close(() => (--open === 0 ? process.exit(0) : undefined));
  });
}

switch (command) {
  case 'serve':
    serve();
    break;
  case 'echo':
    console.log(words.join(' '));
    break;
  case 'greet':
    console.log(
      `${identity.greeting} from ${identity.app ?? '?'}/${identity.service ?? '?'} release ${identity.release ?? '?'}`,
    );
    break;
  case 'sleep':
    setTimeout(() => undefined, Number(words[0] ?? 1) * 1000);
    break;
  case 'exit':
    process.exitCode = Number(words[0] ?? 0);
    break;
  default:
    console.error(`hello-web: unknown command "${command}" (serve, echo, greet, sleep, exit)`);
    process.exitCode = 2;
}
