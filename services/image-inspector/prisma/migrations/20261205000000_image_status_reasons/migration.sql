-- Images no job can read say so instead of staying `pending`: each pending image is triaged once, by the accounts
-- whose instances ran it, to `needs_upload` with the reason (no disk the inspector can reach), or left `pending`
-- with what it waits for (the AWS inspection job). An image needing an upload is still taken by the AWS job once an
-- instance of a registered AWS account runs it, so the job's partial index covers that status too.

ALTER TABLE "machine_images" ADD COLUMN "status_reason" TEXT;
DROP INDEX "machine_images_awaiting_inspection_idx";
CREATE INDEX "machine_images_awaiting_inspection_idx" ON "machine_images"("next_inspection_at")
    WHERE "status" IN ('pending', 'preparing', 'needs_upload');
CREATE INDEX "machine_images_untriaged_idx" ON "machine_images"("id")
    WHERE "status" = 'pending' AND "status_reason" IS NULL;
