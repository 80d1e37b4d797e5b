-- Single-use tickets for POST /api/v1/image/{id}/inspection: the gateway streams a disk image to the image
-- inspector's upload endpoint with one (a disk image never travels on the bus). Only the token's SHA-256 is kept.

CREATE TABLE "inspection_uploads" (
    "token_hash" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "image_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "inspection_uploads_pkey" PRIMARY KEY ("token_hash"),
    CONSTRAINT "inspection_uploads_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "machine_images"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "inspection_uploads_expires_at_idx" ON "inspection_uploads"("expires_at");
