// Run by embedded.test.ts in a child process: starts the embedded server on argv[2], prints its URL, then waits
// to be killed. The test SIGKILLs it, as a crash would, leaving the server it started running.
import { startEmbeddedPostgres } from '../../src';

startEmbeddedPostgres({ dataDir: process.argv[2] ?? '' }).then(
  (embedded) => {
    process.stdout.write(`${embedded.url}\n`);
    setInterval(() => undefined, 60_000);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
