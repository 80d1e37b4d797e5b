import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { configFilePath } from '../config/config-file';
import { withExamples } from '../help-examples';
import { runWithContext } from './run-with-context';

/** A P-256 key pair made here: the private key is written (owner-only) and never sent; the public key is sent. */
export function makeKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Writes the key, certificate and CA bundle into `directory` (created owner-only). */
export function writeCredentials(
  directory: string,
  files: { privateKeyPem: string; certificate: string; caBundle: string },
): { key: string; certificate: string; caBundle: string } {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const written = {
    key: path.join(directory, 'key.pem'),
    certificate: path.join(directory, 'cert.pem'),
    caBundle: path.join(directory, 'ca.pem'),
  };
  writeFileSync(written.key, files.privateKeyPem, { mode: 0o600 });
  writeFileSync(written.certificate, files.certificate);
  writeFileSync(written.caBundle, files.caBundle);
  return written;
}

/** Photon's `register <email>`: an account whose identity is a key pair made on this machine. */
export function registerRegisterCommand(program: Command, io: CliIo): void {
  withExamples(
    program
      .command('register')
      .description('register a registry account: a key pair made here, its certificate from the registry')
      .argument('<email>', 'the account’s email address')
      .option('--dir <directory>', 'where to keep key.pem, cert.pem and ca.pem (default: the config directory)'),
    'overcast register ops@example.com',
  ).action(
    runWithContext(io, async (context, email: string, flags: { dir?: string }) => {
      const keys = makeKeyPair();
      const account = await context.client().registry.registerAccount({ email, public_key: keys.publicKeyPem });
      const directory =
        flags.dir ?? path.join(path.dirname(configFilePath(io.env, io.homeDirectory)), 'accounts', account.id);
      const files = writeCredentials(directory, {
        privateKeyPem: keys.privateKeyPem,
        certificate: account.certificate,
        caBundle: account.ca_bundle,
      });
      await context.print(
        { id: account.id, email: account.email, files },
        () =>
          `account ${account.id} (${account.email})\nprivate key  ${files.key} (never sent)\ncertificate  ${files.certificate}\nCA bundle    ${files.caBundle}\n`,
      );
    }),
  );
}
