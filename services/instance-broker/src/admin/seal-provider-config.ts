import { encryptJson, parseEncryptionKey } from '@overcast/providers';
import { encryptionKeyFromEnvironment } from '../config';
import { providerConfigContext } from '../provider-wiring';

/**
 * `pnpm --filter @overcast/instance-broker seal-provider-config aws < aws.json` prints the value of
 * AWS_PROVIDER_CONFIG: the JSON config sealed with OVERCAST_ENCRYPTION_KEY, so credentials are never at
 * rest in clear (env files, Kubernetes secrets, shell history).
 */
export async function sealProviderConfig(
  provider: string,
  input: NodeJS.ReadableStream,
  key: string | undefined,
): Promise<string> {
  if (provider !== 'aws' && provider !== 'gce') throw new Error('usage: seal-provider-config <aws|gce> < config.json');
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  let config: unknown;
  try {
    config = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new Error(`stdin is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new Error('stdin must be a JSON object');
  return encryptJson(config, parseEncryptionKey(key), providerConfigContext(provider));
}

if (require.main === module) {
  sealProviderConfig(process.argv[2] ?? '', process.stdin, encryptionKeyFromEnvironment()).then(
    (sealed) => process.stdout.write(`${sealed}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
