import path from 'node:path';
import type { Command } from 'commander';
import type { DatacenterProfile } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { datacenterFields } from '../output/registry-json-fields';
import { datacenterColumns, formatDatacenter } from '../output/registry-views';
import { parseProfile } from './datacenter-profile';
import { makeKeyPair, writeCredentials } from './register';
import { runWithContext } from './run-with-context';

const profileHelp =
  'a profile it offers, repeatable: name=standard,cpu=2,memory=4GiB,lifetime=medium,price=1,capacity=10';

interface RegisterFlags {
  name: string;
  region: string;
  endpoint: string;
  profile: DatacenterProfile[];
  dir?: string;
}

/** Photon's datacenters: register one (its agent's key pair made here), list, show, update, delete. */
export function registerDatacenterCommands(program: Command, io: CliIo): void {
  const datacenters = withExamples(
    program.command('datacenters').description('independent datacenters that run deployments’ nodes'),
    'overcast datacenters list',
  );

  withExamples(
    datacenters
      .command('register')
      .description(
        "register a datacenter: its agent's key pair made here, its intermediate certificate from the registry",
      )
      .requiredOption('--name <name>', 'its name')
      .requiredOption('--region <region>', 'its region, e.g. us-west')
      .requiredOption('--endpoint <host:port>', "where its agent's mTLS endpoint listens")
      .requiredOption('--profile <spec>', profileHelp, parseProfile)
      .option('--dir <directory>', 'where to write key.pem, cert.pem and ca.pem for its agent (./datacenter-<name>)'),
    'overcast datacenters register --name east --region us-east --endpoint 127.0.0.1:7444 --profile name=standard,cpu=2,memory=4GiB,lifetime=medium,price=1,capacity=10',
  ).action(
    runWithContext(io, async (context, flags: RegisterFlags) => {
      const keys = makeKeyPair();
      const registered = await context.client().datacenters.register({
        name: flags.name,
        region: flags.region,
        endpoint: flags.endpoint,
        public_key: keys.publicKeyPem,
        profiles: flags.profile,
      });
      const files = writeCredentials(path.resolve(flags.dir ?? `datacenter-${flags.name}`), {
        privateKeyPem: keys.privateKeyPem,
        certificate: registered.certificate,
        caBundle: registered.ca_bundle,
      });
      await context.print({ ...registered.datacenter, files }, () => formatDatacenter(registered.datacenter));
      if (!context.json)
        context.note(`its agent's credentials are in ${path.dirname(files.key)} (key.pem never leaves this machine)`);
    }),
  );

  withExamples(datacenters.command('list').description('list your datacenters'), 'overcast datacenters list').action(
    runWithContext(io, async (context) => {
      const list = await context.client().datacenters.list();
      await context.print({ datacenters: list }, () => formatTable(datacenterColumns, list), {
        fields: datacenterFields,
        list,
      });
    }),
  );

  withExamples(
    datacenters.command('get').description('show a datacenter').argument('<id>', 'datacenter id'),
    'overcast datacenters get 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c',
  ).action(
    runWithContext(io, async (context, id: string) => {
      const datacenter = await context.client().datacenters.get(id);
      await context.print(datacenter, () => formatDatacenter(datacenter));
    }),
  );

  withExamples(
    datacenters
      .command('update')
      .description('change its endpoint, or replace the profiles it offers')
      .argument('<id>', 'datacenter id')
      .option('--endpoint <host:port>', "its agent's endpoint")
      .option('--profile <spec>', profileHelp, parseProfile),
    'overcast datacenters update 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c --profile name=standard,cpu=2,memory=4GiB,lifetime=medium,price=0.8,capacity=20',
  ).action(
    runWithContext(io, async (context, id: string, flags: { endpoint?: string; profile?: DatacenterProfile[] }) => {
      const datacenter = await context.client().datacenters.update(id, {
        ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
        ...(flags.profile === undefined ? {} : { profiles: flags.profile }),
      });
      await context.print(datacenter, () => formatDatacenter(datacenter));
    }),
  );

  withExamples(
    datacenters.command('delete').description('delete a datacenter').argument('<id>', 'datacenter id'),
    'overcast datacenters delete 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c',
  ).action(
    runWithContext(io, async (context, id: string) => {
      await context.client().datacenters.delete(id);
      await context.print({ deleted: id }, () => `datacenter ${id} deleted\n`);
    }),
  );
}
