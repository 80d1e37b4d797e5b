import type { Command } from 'commander';
import type { App, AppServiceInput, OvercastClient } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { withExamples } from '../help-examples';
import { formatDetails, formatTable } from '../output/format';
import { parseEnvPair, parseServiceSpec } from './app-service-spec';
import { readBarcelonaFile } from './barcelona-file';
import { NotFoundError } from '@overcast/sdk';
import { runWithContext } from './run-with-context';

const appColumns = [
  { header: 'NAME', value: (app: App) => app.name },
  { header: 'DISTRICT', value: (app: App) => app.district },
  { header: 'IMAGE', value: (app: App) => (app.image_name ? `${app.image_name}:${app.image_tag ?? 'latest'}` : '') },
  { header: 'RELEASE', value: (app: App) => app.release },
  { header: 'DEPLOY', value: (app: App) => app.deploy_state },
  { header: 'SERVICES', value: (app: App) => app.services.map((s) => `${s.name}=${s.scale}(${s.status})`).join(' ') },
];

const showApp = (app: App) => formatTable(appColumns, [app]);

/** Deploy progress until the deploy of the app's newest release ends (unless --no-wait). */
async function followDeploy(context: CommandContext, client: OvercastClient, app: App, wait: boolean): Promise<App> {
  if (!wait) return app;
  const progress = context.progress();
  try {
    const done = await client.apps.waitForDeploy(app.name, app.release, {
      onProgress: (current) => progress.update(`${app.name} release ${app.release}: ${String(current.deploy_state)}`),
    });
    progress.done(`${app.name} release ${app.release} deployed`);
    return done;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

interface CreateFlags {
  district: string;
  image?: string;
  tag?: string;
  beforeDeploy?: string;
  service?: AppServiceInput[];
  env?: Record<string, string>;
  wait: boolean;
}

/** Barcelona's apps: services, env vars, scale, one-offs, releases, rollback, events and drift. */
export function registerAppCommands(program: Command, io: CliIo): void {
  const apps = withExamples(
    program.command('apps').description("container apps made of services (Barcelona's heritages)"),
    'overcast apps list',
  );

  withExamples(
    apps
      .command('create')
      .description('create an app and deploy its first release')
      .argument('<name>')
      .requiredOption('--district <name>', 'the district it runs on')
      .option('--image <name>', 'image name (local: a catalog image, e.g. hello-web)')
      .option('--tag <tag>', 'image tag (latest)')
      .option('--before-deploy <command>', 'a one-off run before each deploy; a non-zero exit stops it')
      .option(
        '--service <spec>',
        'name=web,scale=3,public=true,ports=80:8080, or a cron service name=…,command=…,schedule=<cron> (repeatable)',
        parseServiceSpec,
      )
      .option('--env <KEY=VALUE>', 'an env var (repeatable)', parseEnvPair)
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps create hello --district home --image hello-web --service name=web,scale=3,public=true,ports=80:8080',
    "overcast apps create reports --district home --image hello-web --service 'name=weekly,command=report --all,schedule=0 9 * * 1,3,5'",
  ).action(
    runWithContext(io, async (context, name: string, flags: CreateFlags) => {
      const client = context.client();
      const app = await client.apps.create(flags.district, {
        name,
        ...(flags.image ? { image_name: flags.image } : {}),
        ...(flags.tag ? { image_tag: flags.tag } : {}),
        ...(flags.beforeDeploy ? { before_deploy: flags.beforeDeploy } : {}),
        services: flags.service ?? [],
        env_vars: flags.env ?? {},
      });
      const shown = await followDeploy(context, client, app, flags.wait);
      await context.print(shown, () => showApp(shown));
    }),
  );

  withExamples(
    apps
      .command('apply')
      .description("create or update the app of one environment of Barcelona's barcelona.yml, and follow its deploy")
      .requiredOption('-f, --file <barcelona.yml>', 'the file')
      .requiredOption('-e, --environment <env>', 'which of its environments')
      .requiredOption('--district <name>', 'the district a new app runs on')
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps apply -f barcelona.yml -e production --district home',
  ).action(
    runWithContext(
      io,
      async (context, flags: { file: string; environment: string; district: string; wait: boolean }) => {
        const client = context.client();
        const { name, body } = readBarcelonaFile(flags.file, flags.environment);
        const exists = await client.apps.get(name).then(
          () => true,
          (error: unknown) => {
            if (error instanceof NotFoundError) return false;
            throw error;
          },
        );
        const app = exists
          ? await client.apps.update(name, body)
          : await client.apps.create(flags.district, { name, ...body });
        const shown = await followDeploy(context, client, app, flags.wait);
        await context.print(shown, () => showApp(shown));
      },
    ),
  );

  withExamples(
    apps.command('list').description('list apps').option('--district <name>', "only this district's"),
    'overcast apps list --district home',
  ).action(
    runWithContext(io, async (context, flags: { district?: string }) => {
      const list = await context.client().apps.list(flags.district);
      await context.print({ apps: list }, () => formatTable(appColumns, list));
    }),
  );

  withExamples(apps.command('get').description('show an app').argument('<name>'), 'overcast apps get hello').action(
    runWithContext(io, async (context, name: string) => {
      const app = await context.client().apps.get(name);
      await context.print(app, () =>
        formatTable(
          [
            { header: 'SERVICE', value: (s: App['services'][number]) => s.name },
            { header: 'SCALE', value: (s: App['services'][number]) => s.scale },
            { header: 'STATUS', value: (s: App['services'][number]) => s.status },
            { header: 'ENDPOINT', value: (s: App['services'][number]) => s.endpoint?.dns_name ?? '' },
          ],
          app.services,
        ),
      );
    }),
  );

  withExamples(
    apps.command('delete').description('delete an app').argument('<name>'),
    'overcast apps delete hello',
  ).action(
    runWithContext(io, async (context, name: string) => {
      await context.client().apps.delete(name);
      context.note(`app ${name} deleted`);
    }),
  );

  withExamples(
    apps
      .command('scale')
      .description("set a service's scale (a new release, deployed)")
      .argument('<name>')
      .argument('<service>')
      .argument('<scale>', 'tasks', Number)
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps scale hello web 1',
  ).action(
    runWithContext(io, async (context, name: string, service: string, scale: number, flags: { wait: boolean }) => {
      const client = context.client();
      await client.apps.scale(name, service, scale);
      const shown = await followDeploy(context, client, await client.apps.get(name), flags.wait);
      await context.print(shown, () => showApp(shown));
    }),
  );

  const env = withExamples(
    apps.command('env').description("an app's env vars (values sealed at rest)"),
    'overcast apps env list hello',
  );
  withExamples(
    env.command('list').description('show env vars').argument('<name>'),
    'overcast apps env list hello',
  ).action(
    runWithContext(io, async (context, name: string) => {
      const app = await context.client().apps.get(name);
      await context.print(app.env_vars, () => formatDetails(Object.entries(app.env_vars)));
    }),
  );
  withExamples(
    env
      .command('set')
      .description('set env vars (a new release, deployed)')
      .argument('<name>')
      .argument('<pairs...>', 'KEY=VALUE')
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps env set hello GREETING=bonjour',
  ).action(
    runWithContext(io, async (context, name: string, pairs: string[], flags: { wait: boolean }) => {
      const client = context.client();
      const values = pairs.reduce<Record<string, string>>((all, pair) => parseEnvPair(pair, all), {});
      const shown = await followDeploy(context, client, await client.apps.setEnv(name, values), flags.wait);
      await context.print(shown, () => showApp(shown));
    }),
  );
  withExamples(
    env
      .command('unset')
      .description('remove env vars (a new release, deployed)')
      .argument('<name>')
      .argument('<keys...>')
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps env unset hello GREETING',
  ).action(
    runWithContext(io, async (context, name: string, keys: string[], flags: { wait: boolean }) => {
      const client = context.client();
      const shown = await followDeploy(context, client, await client.apps.unsetEnv(name, keys), flags.wait);
      await context.print(shown, () => showApp(shown));
    }),
  );

  withExamples(
    apps
      .command('run')
      .description('run a one-off command and print its output')
      .argument('<name>')
      .argument('<command...>')
      .option('--tag <tag>', 'another image tag'),
    'overcast apps run hello echo hi',
  ).action(
    runWithContext(io, async (context, name: string, words: string[], flags: { tag?: string }) => {
      const client = context.client();
      let oneoff = await client.apps.run(name, {
        command: words.join(' '),
        sync: true,
        ...(flags.tag ? { image_tag: flags.tag } : {}),
      });
      while (oneoff.status !== 'stopped') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        oneoff = await client.apps.oneoff(oneoff.id);
      }
      await context.print(
        oneoff,
        () => `${oneoff.output ?? ''}${oneoff.output?.endsWith('\n') ? '' : '\n'}exit ${String(oneoff.exit_code)}\n`,
      );
    }),
  );

  withExamples(
    apps.command('releases').description("list an app's releases").argument('<name>'),
    'overcast apps releases hello',
  ).action(
    runWithContext(io, async (context, name: string) => {
      const releases = await context.client().apps.releases(name);
      await context.print({ releases }, () =>
        formatTable(
          [
            { header: 'VERSION', value: (r: (typeof releases)[number]) => r.version },
            { header: 'DESCRIPTION', value: (r: (typeof releases)[number]) => r.description },
            { header: 'IMAGE', value: (r: (typeof releases)[number]) => r.image },
            { header: 'DEPLOY', value: (r: (typeof releases)[number]) => r.deploy_state },
            { header: 'CREATED', value: (r: (typeof releases)[number]) => r.created_at },
          ],
          releases,
        ),
      );
    }),
  );

  withExamples(
    apps
      .command('rollback')
      .description('deploy a new release equal to an earlier one')
      .argument('<name>')
      .argument('<version>', 'the release to return to', Number)
      .option('--no-wait', 'answer at once instead of following the deploy'),
    'overcast apps rollback hello 2',
  ).action(
    runWithContext(io, async (context, name: string, version: number, flags: { wait: boolean }) => {
      const client = context.client();
      await client.apps.rollback(name, version);
      const shown = await followDeploy(context, client, await client.apps.get(name), flags.wait);
      await context.print(shown, () => showApp(shown));
    }),
  );

  withExamples(
    apps
      .command('events')
      .description("an app's deploy events, newest first")
      .argument('<name>')
      .option('--limit <n>', 'at most', Number),
    'overcast apps events hello',
  ).action(
    runWithContext(io, async (context, name: string, flags: { limit?: number }) => {
      const events = await context.client().apps.events(name, flags.limit);
      await context.print({ events }, () =>
        events.map((e) => `${e.created_at}  ${e.level.padEnd(5)}  ${e.message}\n`).join(''),
      );
    }),
  );

  withExamples(
    apps
      .command('drift')
      .description('what the provider runs that differs from the applied release')
      .argument('<name>'),
    'overcast apps drift hello',
  ).action(
    runWithContext(io, async (context, name: string) => {
      const drift = await context.client().apps.drift(name);
      await context.print(drift, () =>
        drift.drift.length === 0
          ? `no drift from release ${String(drift.release)}\n`
          : drift.drift
              .map((d) => `${d.path}: expected ${JSON.stringify(d.expected)}, found ${JSON.stringify(d.actual)}\n`)
              .join(''),
      );
    }),
  );
}
