import { homedir } from 'node:os';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  homeDirectory: homedir(),
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`overcast: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
