import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatDetails, formatTable } from '../output/format';
import { runWithContext } from './run-with-context';

interface DistrictFlags {
  provider?: 'aws' | 'local' | 'fake';
  region?: string;
  vpcId?: string;
  privateHostedZoneId?: string;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
}

function districtBody(flags: DistrictFlags) {
  return {
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.vpcId ? { vpc_id: flags.vpcId } : {}),
    ...(flags.privateHostedZoneId ? { private_hosted_zone_id: flags.privateHostedZoneId } : {}),
    ...(flags.awsAccessKeyId ? { aws_access_key_id: flags.awsAccessKeyId } : {}),
    ...(flags.awsSecretAccessKey ? { aws_secret_access_key: flags.awsSecretAccessKey } : {}),
  };
}

function districtOptions(command: Command): Command {
  return command
    .option('--provider <provider>', 'local (this machine), aws (ECS) or fake (memory)')
    .option('--region <region>', 'aws: the region')
    .option('--vpc-id <id>', 'aws: the VPC')
    .option('--private-hosted-zone-id <id>', "aws: the Route53 zone of the services' records")
    .option('--aws-access-key-id <id>', 'aws: write-only, sealed at rest')
    .option('--aws-secret-access-key <secret>', 'aws: write-only, sealed at rest');
}

const columns = [
  { header: 'NAME', value: (district: { name: string }) => district.name },
  { header: 'PROVIDER', value: (district: { provider: string }) => district.provider },
  { header: 'APPS', value: (district: { apps: string[] }) => district.apps.join(',') },
];

/** Barcelona's districts: the clusters apps run on (writes are for admins). */
export function registerDistrictCommands(program: Command, io: CliIo): void {
  const districts = withExamples(
    program.command('districts').description("clusters that apps run on (Barcelona's districts)"),
    'overcast districts list',
  );

  withExamples(
    districtOptions(districts.command('create').description('create a district (admin)').argument('<name>')),
    'overcast districts create home --provider local',
  ).action(
    runWithContext(io, async (context, name: string, flags: DistrictFlags) => {
      const district = await context.client().districts.create({ name, ...districtBody(flags) });
      await context.print(district, () => formatTable(columns, [district]));
    }),
  );

  withExamples(districts.command('list').description('list districts'), 'overcast districts list').action(
    runWithContext(io, async (context) => {
      const list = await context.client().districts.list();
      await context.print({ districts: list }, () => formatTable(columns, list));
    }),
  );

  withExamples(
    districts.command('get').description('show a district').argument('<name>'),
    'overcast districts get home',
  ).action(
    runWithContext(io, async (context, name: string) => {
      const district = await context.client().districts.get(name);
      await context.print(district, () => formatDetails(Object.entries(district)));
    }),
  );

  withExamples(
    districtOptions(districts.command('update').description('change a district (admin)').argument('<name>')),
    'overcast districts update home --provider local',
  ).action(
    runWithContext(io, async (context, name: string, flags: DistrictFlags) => {
      const district = await context.client().districts.update(name, districtBody(flags));
      await context.print(district, () => formatTable(columns, [district]));
    }),
  );

  withExamples(
    districts.command('delete').description('delete a district and its apps (admin)').argument('<name>'),
    'overcast districts delete home',
  ).action(
    runWithContext(io, async (context, name: string) => {
      await context.client().districts.delete(name);
      context.note(`district ${name} deleted`);
    }),
  );

  withExamples(
    districts
      .command('launch-instances')
      .description('ask the instance broker for container instances for a district')
      .argument('<name>')
      .requiredOption('--count <n>', 'how many', Number)
      .option('--instance-type <type>', 'their type (t2.micro)'),
    'overcast districts launch-instances home --count 2',
  ).action(
    runWithContext(io, async (context, name: string, flags: { count: number; instanceType?: string }) => {
      await context.client().districts.launchInstances(name, flags.count, flags.instanceType);
      context.note(`asked for ${flags.count} container instance(s) for ${name}`);
    }),
  );
}
