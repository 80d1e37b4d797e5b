-- The AWS inspection job (EBS direct reads of an AMI's root snapshot): each failed try is counted with its reason and
-- the image waits until next_inspection_at (exponential backoff with jitter), then ends as error after the last try.

ALTER TABLE "machine_images" ADD COLUMN "inspection_attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "machine_images" ADD COLUMN "inspection_error" TEXT;
ALTER TABLE "machine_images" ADD COLUMN "next_inspection_at" TIMESTAMPTZ(3);
CREATE INDEX "machine_images_awaiting_inspection_idx" ON "machine_images"("next_inspection_at")
    WHERE "status" IN ('pending', 'preparing');
