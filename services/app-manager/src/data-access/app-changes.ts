import { randomUUID } from 'node:crypto';
import { advanceDeployCommand, AppError } from '@overcast/contracts';
import { outboxColumns, outboxInsert } from '@overcast/db';
import { sql } from 'kysely';
import type { AppChange, SavedChange } from '../domain/ports';
import type { AppDraft, PortMappingRecord, ReleaseSpec } from '../domain/records';
import type { SecretBox } from '../domain/secret-box';
import { replaceHeldHostPorts, reserveHostPorts, type HostPortClaim } from './host-ports';
import { outboxMessage } from './outbox';
import { envAssociatedData, releaseEnvAssociatedData } from './rows';
import { clause, type Queryable, type Statements } from './statements';

export function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'P2002' || code === '23505';
}

/** How many host ports `draft` needs: one per port mapping that has none yet. */
export function newHostPortCount(draft: AppDraft): number {
  return draft.services.reduce(
    (sum, service) => sum + service.portMappings.filter((mapping) => mapping.host_port === undefined).length,
    0,
  );
}

type SavedService = ReleaseSpec['services'][number];

/** A port to insert, and which mapping asked for it. */
interface MappingClaim extends HostPortClaim {
  service: string;
  mapping: number;
}

/** Gives each mapping without a host port the next reserved candidate; the claims are what must be inserted. */
function assignHostPorts(
  draft: AppDraft,
  idOf: (service: string) => string,
  reserved: number[],
): { services: SavedService[]; claims: MappingClaim[] } {
  const candidates = [...reserved];
  const claims: MappingClaim[] = [];
  const services = draft.services.map((service) => ({
    ...service,
    portMappings: service.portMappings.map((mapping, index): Required<PortMappingRecord> => {
      if (mapping.host_port !== undefined) return { ...mapping, host_port: mapping.host_port };
      const hostPort = candidates.shift();
      if (hostPort === undefined) throw new Error('Fewer host ports reserved than the draft needs.');
      claims.push({ serviceId: idOf(service.name), hostPort, service: service.name, mapping: index });
      return { ...mapping, host_port: hostPort };
    }),
  }));
  return { services, claims };
}

interface ExistingService {
  id: string;
  name: string;
}

/** An update: the app row moved to the next release; its services read, to keep their ids. */
async function advanceApp(statements: Statements, client: Queryable, change: AppChange, appId: string) {
  const { draft } = change;
  const { run, table } = statements;
  const [row] = await run<{ release: number | null; services: ExistingService[] }>(
    sql`WITH app AS (UPDATE ${table('apps')}
          SET image_name = ${draft.imageName}, image_tag = ${draft.imageTag}, before_deploy = ${draft.beforeDeploy},
              slack_url = ${draft.slackUrl}, release = release + 1, updated_at = ${new Date().toISOString()}::timestamptz
        WHERE id = ${appId}::uuid RETURNING release)
        SELECT (SELECT release FROM app) AS release,
               COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name))
                           FROM ${table('app_services')} s WHERE s.app_id = ${appId}::uuid), '[]') AS services`,
    client,
  );
  if (row?.release == null) throw new AppError('not_found', `No app named ${draft.name}.`);
  return { release: row.release, existing: new Map(row.services.map((service) => [service.name, service.id])) };
}

interface WriteOptions {
  /**
   * `skip`: a host port another service holds is left out and answered missing (swapped after, in the same
   * transaction); `fail`: the statement fails (a create's single statement, then saved again in a transaction).
   */
  heldPorts: 'skip' | 'fail';
  /** The tenant's limit of apps, for a create. */
  appsLimit: number;
}

/** A saved change, or a create refused because the tenant holds its limit of apps (nothing was written). */
export type SaveOutcome = SavedChange | 'over_quota';

/**
 * The change in one statement: for a create, the app counted in its tenant's row under the limit (else nothing is
 * written: `written` false), then the app row; for an update, the app of the update; its services (existing ones
 * updated in place, matched by name; a changed schedule starts over from the deploy that applies it), the host
 * ports claimed for them (see WriteOptions), its sealed env vars, the
 * next release (spec + sealed env), its deploy and the deploy's advance job in the outbox.
 */
async function writeChange(
  statements: Statements,
  client: Queryable,
  schema: string,
  secrets: SecretBox,
  change: AppChange,
  saved: {
    appId: string;
    release: number;
    services: SavedService[];
    claims: MappingClaim[];
    idOf: (name: string) => string;
  },
  options: WriteOptions,
): Promise<{ written: boolean; inserted: Set<number> }> {
  const { run, table } = statements;
  const { draft } = change;
  const { appId, release, services } = saved;
  const creating = change.appId === null;
  const keys = Object.keys(draft.env);
  const spec: ReleaseSpec = {
    imageName: draft.imageName,
    imageTag: draft.imageTag,
    beforeDeploy: draft.beforeDeploy,
    services,
  };
  const deployId = randomUUID();
  const job = outboxMessage(advanceDeployCommand, { tenantId: change.tenantId, deployId }, change.context);
  // A create counts the app in its tenant's row first, under the limit; every other row follows from that.
  const counted = sql`counted AS (INSERT INTO ${table('tenant_app_counts')} AS c (tenant_id, apps)
        SELECT ${change.tenantId}, 1 WHERE 1 <= ${options.appsLimit}::int
        ON CONFLICT (tenant_id) DO UPDATE SET apps = c.apps + 1 WHERE c.apps < ${options.appsLimit}::int
        RETURNING apps)`;
  const app = creating
    ? sql`app AS (INSERT INTO ${table('apps')}
          (id, tenant_id, district_id, name, release, image_name, image_tag, before_deploy, slack_url)
          SELECT ${appId}::uuid, ${change.tenantId}, ${change.districtId}::uuid, ${draft.name}, 1, ${draft.imageName},
                 ${draft.imageTag}, ${draft.beforeDeploy}, ${draft.slackUrl} FROM counted RETURNING id)`
    : sql`app AS (SELECT ${appId}::uuid AS id)`;
  const clauses = [
    ...(creating ? [counted] : []),
    app,
    sql`services AS (INSERT INTO ${table('app_services')}
          (id, app_id, name, cpu, memory, command, public, scale, schedule, port_mappings)
        SELECT s.id, app.id, s.name, s.cpu, s.memory, s.command, s.public, s.scale, s.schedule, s.port_mappings
          FROM app, unnest(${services.map((service) => saved.idOf(service.name))}::uuid[],
                           ${services.map((service) => service.name)}::text[],
                           ${services.map((service) => service.cpu)}::int[],
                           ${services.map((service) => service.memory)}::int[],
                           ${services.map((service) => service.command)}::text[],
                           ${services.map((service) => service.public)}::boolean[],
                           ${services.map((service) => service.scale)}::int[],
                           ${services.map((service) => service.schedule)}::text[],
                           ${services.map((service) => JSON.stringify(service.portMappings))}::jsonb[])
               AS s(id, name, cpu, memory, command, public, scale, schedule, port_mappings)
        ON CONFLICT (app_id, name) DO UPDATE
          SET cpu = excluded.cpu, memory = excluded.memory, command = excluded.command, public = excluded.public,
              scale = excluded.scale, schedule = excluded.schedule, port_mappings = excluded.port_mappings,
              next_run_at = CASE WHEN app_services.schedule IS DISTINCT FROM excluded.schedule
                                 THEN NULL ELSE app_services.next_run_at END
        RETURNING id)`,
    sql`ports AS (INSERT INTO ${table('host_ports')} (district_id, host_port, app_service_id)
        SELECT ${change.districtId}::uuid, c.port, services.id
          FROM unnest(${saved.claims.map((claim) => claim.hostPort)}::int[],
                      ${saved.claims.map((claim) => claim.serviceId)}::uuid[]) AS c(port, service)
          JOIN services ON services.id = c.service
        ${options.heldPorts === 'skip' ? sql`ON CONFLICT DO NOTHING` : sql``} RETURNING host_port)`,
    sql`env AS (INSERT INTO ${table('env_vars')} (app_id, key, sealed_value)
        SELECT app.id, e.key, e.sealed FROM app, unnest(${keys}::text[],
          ${keys.map((key) => secrets.seal(draft.env[key] ?? '', envAssociatedData(appId, key)))}::text[]) AS e(key, sealed)
        ON CONFLICT (app_id, key) DO UPDATE SET sealed_value = excluded.sealed_value)`,
    sql`release AS (INSERT INTO ${table('releases')} (app_id, version, description, spec, sealed_env)
        SELECT app.id, ${release}::int, ${change.description}, ${JSON.stringify(spec)}::jsonb,
               ${secrets.seal(JSON.stringify(draft.env), releaseEnvAssociatedData(appId, release))} FROM app)`,
    sql`deploy AS (INSERT INTO ${table('deploys')} (id, tenant_id, app_id, release, state, step)
        SELECT ${deployId}::uuid, ${change.tenantId}, app.id, ${release}::int, 'running', 0 FROM app)`,
    sql`outbox AS ${clause(sql`${outboxInsert(schema, outboxColumns([job]))} WHERE EXISTS (SELECT 1 FROM app)`)}`,
  ];
  if (!creating)
    clauses.push(sql`env_gone AS (DELETE FROM ${table('env_vars')}
        WHERE app_id = ${appId}::uuid AND NOT (key = ANY(${keys}::text[])))`);
  const [row] = await run<{ ports: number[]; written: boolean }>(
    sql`WITH ${sql.join(clauses)}
        SELECT COALESCE((SELECT array_agg(host_port) FROM ports), '{}') AS ports, EXISTS (SELECT 1 FROM app) AS written`,
    client,
  );
  return { written: row?.written ?? false, inserted: new Set(row?.ports ?? []) };
}

/** A taken name is `conflict`: the unique index on the tenant's app names settles concurrent creates. */
async function conflictOnTakenName<T>(change: AppChange, save: Promise<T>): Promise<T> {
  try {
    return await save;
  } catch (error) {
    const { constraint } = error as { constraint?: string };
    if (change.appId === null && isUniqueViolation(error) && constraint === 'apps_tenant_id_name_key')
      throw new AppError('conflict', `An app named ${change.draft.name} exists already.`, {
        details: [{ path: 'name', message: 'is taken' }],
      });
    throw error;
  }
}

function prepare(change: AppChange, existing: Map<string, string>, reserved: number[]) {
  const ids = new Map(
    change.draft.services.map((service) => [service.name, existing.get(service.name) ?? randomUUID()]),
  );
  const idOf = (name: string) => ids.get(name) ?? '';
  return { idOf, ...assignHostPorts(change.draft, idOf, reserved) };
}

/**
 * A create as one statement, committed on its own (no BEGIN, no COMMIT), its host ports the `reserved`
 * candidates (see hostPortCandidates). When a candidate is held by another service the statement fails whole and
 * the create is saved by saveAppChange instead, which swaps it.
 */
export async function createApp(
  statements: Statements,
  schema: string,
  secrets: SecretBox,
  change: AppChange,
  appsLimit: number,
  reserved: number[],
): Promise<SaveOutcome> {
  const appId = randomUUID();
  const prepared = prepare(change, new Map(), reserved);
  try {
    const { written } = await conflictOnTakenName(
      change,
      writeChange(
        statements,
        statements.pool,
        schema,
        secrets,
        change,
        { appId, release: 1, ...prepared },
        { heldPorts: 'fail', appsLimit },
      ),
    );
    return written ? { appId, release: 1, services: prepared.services } : 'over_quota';
  } catch (error) {
    const { constraint } = error as { constraint?: string };
    if (!isUniqueViolation(error) || constraint !== 'host_ports_pkey') throw error;
    return statements.transaction((client) =>
      saveAppChange(statements, client, schema, secrets, change, appsLimit, reserved),
    );
  }
}

/**
 * Saves `change` in `client`'s transaction: for an update, the app's row moves to its next release first; the
 * new port mappings get candidates from reserveHostPorts (or `reserved`); then one statement writes the rest (see
 * writeChange). A candidate another service still holds is swapped for a free port afterwards, with the service's
 * mappings and the release's spec corrected (the rare path). No district-wide lock: an update locks only its own
 * app row.
 */
export async function saveAppChange(
  statements: Statements,
  client: Queryable,
  schema: string,
  secrets: SecretBox,
  change: AppChange,
  appsLimit: number,
  reserved?: number[],
): Promise<SaveOutcome> {
  const appId = change.appId ?? randomUUID();
  let release = 1;
  let existing = new Map<string, string>();
  if (change.appId !== null) ({ release, existing } = await advanceApp(statements, client, change, appId));
  const candidates = reserved ?? (await reserveHostPorts(statements, client, newHostPortCount(change.draft)));
  const assigned = prepare(change, existing, candidates);
  const { written, inserted } = await conflictOnTakenName(
    change,
    writeChange(
      statements,
      client,
      schema,
      secrets,
      change,
      { appId, release, ...assigned },
      { heldPorts: 'skip', appsLimit },
    ),
  );
  if (!written) return 'over_quota';
  const held = assigned.claims.filter((claim) => !inserted.has(claim.hostPort));
  if (held.length === 0) return { appId, release, services: assigned.services };
  const replaced = await replaceHeldHostPorts(statements, client, change.districtId, held);
  const services = await swapHostPorts(statements, client, { appId, release, idOf: assigned.idOf }, assigned, replaced);
  return { appId, release, services };
}

/** The rare path: candidates another service still held were replaced; the services and the release say so. */
async function swapHostPorts(
  statements: Statements,
  client: Queryable,
  saved: { appId: string; release: number; idOf: (service: string) => string },
  assigned: { services: SavedService[]; claims: MappingClaim[] },
  replaced: Map<number, number>,
): Promise<SavedService[]> {
  const { run, table } = statements;
  const swapped: SavedService[] = [];
  for (const service of assigned.services) {
    const claims = assigned.claims.filter((claim) => claim.service === service.name && replaced.has(claim.hostPort));
    if (claims.length === 0) {
      swapped.push(service);
      continue;
    }
    const portMappings = service.portMappings.map((mapping, index) => {
      const claim = claims.find((candidate) => candidate.mapping === index);
      return claim ? { ...mapping, host_port: replaced.get(claim.hostPort) ?? mapping.host_port } : mapping;
    });
    await run(
      sql`UPDATE ${table('app_services')} SET port_mappings = ${JSON.stringify(portMappings)}::jsonb
           WHERE id = ${saved.idOf(service.name)}::uuid`,
      client,
    );
    swapped.push({ ...service, portMappings });
  }
  await run(
    sql`UPDATE ${table('releases')} SET spec = jsonb_set(spec, '{services}', ${JSON.stringify(swapped)}::jsonb)
         WHERE app_id = ${saved.appId}::uuid AND version = ${saved.release}::int`,
    client,
  );
  return swapped;
}
