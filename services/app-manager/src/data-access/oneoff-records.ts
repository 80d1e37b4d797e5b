import { randomUUID } from 'node:crypto';
import { runOneoffTaskCommand } from '@overcast/contracts';
import { qualified } from '@overcast/db';
import type { AppStore, DueSchedule } from '../domain/ports';
import type { SecretBox } from '../domain/secret-box';
import { enqueue } from './outbox';
import type { AppManagerPrisma } from './prisma-client';
import { oneoffEnvAssociatedData, toOneoff } from './rows';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => uuidPattern.test(value);

export type OneoffRecords = Pick<AppStore, 'insertOneoff' | 'findOneoff' | 'updateOneoff' | 'claimDueSchedules'>;

/** One-off tasks (each queued to run as it is inserted) and the durable scheduler's claims of due cron ticks. */
export function createOneoffRecords(prisma: AppManagerPrisma, schema: string, secrets: SecretBox): OneoffRecords {
  const withApp = { app: { select: { name: true } } } as const;

  return {
    async insertOneoff(oneoff) {
      return prisma.$transaction(async (tx) => {
        const id = randomUUID();
        const row = await tx.oneoff.create({
          data: {
            id,
            tenantId: oneoff.tenantId,
            appId: oneoff.appId,
            command: oneoff.command,
            imageTag: oneoff.imageTag,
            service: oneoff.service,
            sealedEnv: secrets.seal(JSON.stringify(oneoff.env), oneoffEnvAssociatedData(id)),
            status: 'pending',
          },
          include: withApp,
        });
        await enqueue(tx, schema, runOneoffTaskCommand, { tenantId: oneoff.tenantId, oneoffId: id }, oneoff.context);
        return toOneoff(row, secrets);
      });
    },
    async findOneoff(tenantId, id) {
      // Ids arrive from URLs: anything that is no uuid is simply unknown (the column would refuse it).
      if (!isUuid(id)) return null;
      const row = await prisma.oneoff.findFirst({ where: { id, tenantId }, include: withApp });
      return row ? toOneoff(row, secrets) : null;
    },
    async updateOneoff(id, progress) {
      await prisma.oneoff.update({ where: { id }, data: { ...progress, updatedAt: new Date() } });
    },
    async claimDueSchedules(now, nextTickOf, limit) {
      return prisma.$transaction(async (tx) => {
        const due = await tx.$queryRawUnsafe<(DueSchedule & { id: string })[]>(
          `SELECT s.id, s.name AS service, s.command, s.schedule, s.next_run_at AS "nextRunAt",
                  a.id AS "appId", a.tenant_id AS "tenantId"
             FROM ${qualified(schema, 'app_services')} s JOIN ${qualified(schema, 'apps')} a ON a.id = s.app_id
            WHERE s.schedule IS NOT NULL AND s.next_run_at <= $1
            ORDER BY s.next_run_at LIMIT $2
            FOR UPDATE OF s SKIP LOCKED`,
          now,
          limit,
        );
        for (const tick of due) {
          const nextRunAt = nextTickOf(tick.schedule, tick.nextRunAt, now);
          await tx.appService.update({ where: { id: tick.id }, data: { nextRunAt } });
          const id = randomUUID();
          await tx.oneoff.create({
            data: {
              id,
              tenantId: tick.tenantId,
              appId: tick.appId,
              command: tick.command ?? '',
              imageTag: null,
              service: tick.service,
              sealedEnv: secrets.seal('{}', oneoffEnvAssociatedData(id)),
              status: 'pending',
            },
          });
          await enqueue(tx, schema, runOneoffTaskCommand, { tenantId: tick.tenantId, oneoffId: id });
        }
        return due.length;
      });
    },
  };
}
