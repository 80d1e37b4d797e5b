-- Notifications: each deployment event is fanned out once to the deliveries its notifications ask for. Events
-- written before this migration are marked done (nobody asked to be told of them then); new ones start pending.
ALTER TABLE "deployment_events" ADD COLUMN "fanned_out" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "deployment_events" ALTER COLUMN "fanned_out" SET DEFAULT false;
CREATE INDEX "deployment_events_pending_fan_out_idx" ON "deployment_events"("seq") WHERE NOT "fanned_out";

CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "event_seq" BIGINT NOT NULL,
    "deployment_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "notification" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "target" TEXT,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_deliveries_event_seq_notification_key" ON "notification_deliveries"("event_seq", "notification");
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries"("next_attempt_at") WHERE "state" = 'pending';
CREATE INDEX "notification_deliveries_deployment_id_idx" ON "notification_deliveries"("deployment_id");
