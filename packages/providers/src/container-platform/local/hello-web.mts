/**
 * hello-web, the sample image of the local catalog. With no arguments (or `serve`) it answers every HTTP request
 * on OVERCAST_TASK_IP:PORT with JSON {app, service, task, release, greeting}, so scaling, env vars and rollback
 * can be seen from a terminal. As a one-off or cron command: `echo <words>` prints them, `greet` prints the
 * greeting, `sleep <seconds>` waits, `exit <code>` exits with it. Runs through Node's type stripping.
 */
import { createServer } from 'node:http';

const env = process.env;
const [command = 'serve', ...words] = process.argv.slice(2);
const identity = {
  app: env.OVERCAST_APP ?? null,
  service: env.OVERCAST_SERVICE ?? null,
  task: env.OVERCAST_TASK_ID ?? null,
  release: env.OVERCAST_RELEASE ? Number(env.OVERCAST_RELEASE) : null,
  greeting: env.GREETING ?? 'hello',
};

function serve(): void {
  const body = JSON.stringify(identity);
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(Number(env.PORT ?? 8080), env.OVERCAST_TASK_IP ?? '127.0.0.1', () => {
    console.log(
      `hello-web ${identity.task ?? ''} listening on ${env.OVERCAST_TASK_IP ?? '127.0.0.1'}:${env.PORT ?? 8080}`,
    );
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
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
