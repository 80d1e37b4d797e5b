import { randomUUID } from 'node:crypto';
import { appDeployedEvent, slackNoticeCommand } from '@overcast/contracts';
import { outboxColumns, outboxInsert } from '@overcast/db';
import { sql } from 'kysely';
import type { StepCompletion } from '../domain/ports';
import type { DeployRecord, DeployState } from '../domain/records';
import type { SecretBox } from '../domain/secret-box';
import type { Prisma } from '../generated/prisma/client';
import { outboxMessage, type OutboxMessage } from './outbox';
import { toDistrictRef, toRelease } from './rows';
import { clause, type Statements } from './statements';

const slackColors = { good: 'good', warn: 'warning', error: 'danger' } as const;

interface DeployRow {
  id: string;
  tenantId: string;
  appId: string;
  release: number;
  state: string;
  step: number;
  startedAt: Date;
  appName: string;
  slackUrl: string | null;
  appRelease: number;
  districtId: string;
  districtTenantId: string;
  districtName: string;
  provider: string;
  aws: Prisma.JsonValue;
  sealedCredentials: string | null;
  districtCreatedAt: Date;
  description: string;
  spec: Prisma.JsonValue;
  sealedEnv: string;
  releaseCreatedAt: Date;
  appliedVersion: number | null;
  appliedDescription: string | null;
  appliedSpec: Prisma.JsonValue;
  appliedSealedEnv: string | null;
  appliedCreatedAt: Date | null;
}

/** The messages a step's commit adds: a Slack notice per event when the app has a URL, app.deployed at its end. */
function messagesOf(deploy: DeployRecord, completion: StepCompletion): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  if (deploy.slackUrl)
    for (const event of completion.events)
      messages.push(
        outboxMessage(slackNoticeCommand, {
          url: deploy.slackUrl,
          color: slackColors[event.level],
          text: `[${deploy.appName}] ${event.message}`,
        }),
      );
  if (completion.finish && completion.finish !== 'superseded')
    messages.push(
      outboxMessage(appDeployedEvent, {
        tenantId: deploy.tenantId,
        app: deploy.appName,
        release: deploy.release.version,
        outcome: completion.finish,
      }),
    );
  return messages;
}

/** A deploy's read (one statement) and each step's commit (one statement: atomic without BEGIN/COMMIT). */
export function createDeployRecords(statements: Statements, schema: string, secrets: SecretBox) {
  const { run, table } = statements;

  return {
    /** The deploy with its app, district, release and the app's applied release, joined. */
    async findDeploy(deployId: string): Promise<DeployRecord | null> {
      const [row] = await run<DeployRow>(sql`
        SELECT d.id, d.tenant_id AS "tenantId", d.app_id AS "appId", d.release, d.state, d.step,
               d.started_at AS "startedAt", a.name AS "appName", a.slack_url AS "slackUrl", a.release AS "appRelease",
               di.id AS "districtId", di.tenant_id AS "districtTenantId", di.name AS "districtName", di.provider, di.aws,
               di.sealed_credentials AS "sealedCredentials", di.created_at AS "districtCreatedAt",
               r.description, r.spec, r.sealed_env AS "sealedEnv", r.created_at AS "releaseCreatedAt",
               ar.version AS "appliedVersion", ar.description AS "appliedDescription", ar.spec AS "appliedSpec",
               ar.sealed_env AS "appliedSealedEnv", ar.created_at AS "appliedCreatedAt"
          FROM ${table('deploys')} d
          JOIN ${table('apps')} a ON a.id = d.app_id
          JOIN ${table('districts')} di ON di.id = a.district_id
          JOIN ${table('releases')} r ON r.app_id = d.app_id AND r.version = d.release
          LEFT JOIN ${table('releases')} ar ON ar.app_id = d.app_id AND ar.version = a.applied_release
         WHERE d.id = ${deployId}::uuid`);
      if (!row) return null;
      const release = (
        version: number,
        fields: { description: string; spec: Prisma.JsonValue; sealedEnv: string; createdAt: Date },
      ) => ({ appId: row.appId, version, ...fields });
      const applied =
        row.appliedVersion === null || row.appliedSealedEnv === null || row.appliedCreatedAt === null
          ? null
          : toRelease(
              release(row.appliedVersion, {
                description: row.appliedDescription ?? '',
                spec: row.appliedSpec,
                sealedEnv: row.appliedSealedEnv,
                createdAt: row.appliedCreatedAt,
              }),
              secrets,
              null,
            );
      return {
        id: row.id,
        tenantId: row.tenantId,
        appId: row.appId,
        appName: row.appName,
        slackUrl: row.slackUrl,
        district: toDistrictRef({
          id: row.districtId,
          tenantId: row.districtTenantId,
          name: row.districtName,
          provider: row.provider,
          aws: row.aws,
          sealedCredentials: row.sealedCredentials,
          createdAt: row.districtCreatedAt,
        }),
        release: toRelease(
          release(row.release, {
            description: row.description,
            spec: row.spec,
            sealedEnv: row.sealedEnv,
            createdAt: row.releaseCreatedAt,
          }),
          secrets,
          row.state,
        ),
        applied,
        state: row.state as DeployState,
        step: row.step,
        startedAt: row.startedAt,
        superseded: row.appRelease > row.release,
      };
    },

    /** Deploys still `running` that started before `startedBefore`, oldest first (the stale-deploy sweep). */
    async findStaleDeploys(startedBefore: Date, limit: number): Promise<string[]> {
      const rows = await run<{ id: string }>(sql`
        SELECT id FROM ${table('deploys')} WHERE state = 'running' AND started_at < ${startedBefore.toISOString()}::timestamptz
         ORDER BY started_at LIMIT ${limit}::int`);
      return rows.map((row) => row.id);
    },

    /**
     * One statement: the deploy moves past `step` only if it is still there and running; everything else the step
     * wrote (its events, a service's endpoint or next run, the applied release, its messages) is conditional on
     * that move, and the app's newest release is read for `superseded`.
     */
    async completeStep(
      deploy: DeployRecord,
      step: number,
      completion: StepCompletion,
    ): Promise<{ committed: boolean; superseded: boolean }> {
      const { appId } = deploy;
      const version = deploy.release.version;
      const moved = sql`EXISTS (SELECT 1 FROM step)`;
      const clauses = [
        sql`step AS (UPDATE ${table('deploys')}
             SET step = step + 1${completion.finish ? sql`, state = ${completion.finish}, finished_at = ${new Date().toISOString()}::timestamptz` : sql``}
           WHERE id = ${deploy.id}::uuid AND step = ${step} AND state = 'running' RETURNING id)`,
      ];
      const { events } = completion;
      if (events.length > 0)
        clauses.push(sql`events AS (INSERT INTO ${table('app_events')} (id, app_id, release, level, message)
          SELECT e.id, ${appId}::uuid, ${version}::int, e.level, e.message
            FROM unnest(${events.map(() => randomUUID())}::uuid[], ${events.map((event) => event.level)}::text[],
                        ${events.map((event) => event.message)}::text[]) WITH ORDINALITY AS e(id, level, message, n)
           WHERE ${moved} ORDER BY e.n)`);
      if (completion.endpoint)
        clauses.push(sql`endpoint AS (UPDATE ${table('app_services')} SET endpoint_dns = ${completion.endpoint.dnsName}
           WHERE app_id = ${appId}::uuid AND name = ${completion.endpoint.service} AND ${moved})`);
      if (completion.schedule)
        clauses.push(sql`schedule AS (UPDATE ${table('app_services')}
             SET next_run_at = ${completion.schedule.nextRunAt?.toISOString() ?? null}::timestamptz
           WHERE app_id = ${appId}::uuid AND name = ${completion.schedule.service} AND ${moved})`);
      if (completion.finish === 'done')
        clauses.push(sql`applied AS (UPDATE ${table('apps')} SET applied_release = ${version}::int
           WHERE id = ${appId}::uuid AND (applied_release IS NULL OR applied_release < ${version}::int) AND ${moved})`);
      const messages = messagesOf(deploy, completion);
      if (messages.length > 0)
        clauses.push(sql`outbox AS ${clause(sql`${outboxInsert(schema, outboxColumns(messages))} WHERE ${moved}`)}`);
      const [row] = await run<{ committed: boolean; release: number | null }>(sql`
        WITH ${sql.join(clauses)}
        SELECT ${moved} AS committed, (SELECT release FROM ${table('apps')} WHERE id = ${appId}::uuid) AS release`);
      const committed = row?.committed ?? false;
      if (!committed || completion.finish) return { committed, superseded: false };
      return { committed, superseded: (row?.release ?? 0) > version };
    },
  };
}
