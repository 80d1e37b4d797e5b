import { exportPublicKeyPem, generateKeyPair } from '../../src/ca/keys';

export async function publicKeyPem(): Promise<string> {
  return exportPublicKeyPem((await generateKeyPair()).publicKey);
}

export function profile(
  overrides: Partial<{
    name: string;
    cpu: number;
    memoryBytes: number;
    lifetime: 'short' | 'medium' | 'long';
    price: number;
    capacity: number;
  }> = {},
) {
  return {
    name: 'standard',
    cpu: 2,
    memoryBytes: 4e9,
    lifetime: 'medium' as const,
    price: 1,
    capacity: 10,
    ...overrides,
  };
}

/** A deployment: `web` with `nodes` nodes on the `westcoast` entry (us-west, 1 cpu, 3GB, medium). */
export function webDeployment(nodes = 2, region = 'us-west'): string {
  return `version: "0.1"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to: [{ global: true }]
deployment:
  datacenters:
    westcoast:
      region: ${region}
      profiles:
        web:
          qos: { cpu: 1, memory: 3GB, lifetime: medium }
          pricing: { max-price: 5 }
  services:
    web:
      westcoast: { profile: web, nodes: ${nodes} }
notifications:
  - { name: ops, type: webhook, url: "https://hooks.example.com/x", events: [deploy.complete] }
`;
}
