import { loadDatabaseConfigOrExit } from '../config';
import { runAdminCli } from './run-admin-cli';

const config = loadDatabaseConfigOrExit();
runAdminCli({
  ...config,
  argv: process.argv.slice(2),
  write: { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`overcast-admin: ${String(error)}\n`);
    process.exit(1);
  },
);
