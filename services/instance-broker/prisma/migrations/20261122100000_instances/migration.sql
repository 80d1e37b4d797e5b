-- Instance builds (pudding): a batch of instances booting with an init script served by the gateway.
CREATE TABLE "instance_builds" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "site" TEXT NOT NULL,
    "env" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "instance_type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "image" TEXT,
    "slack_channel" TEXT,
    "subnet_id" TEXT,
    "security_group_id" TEXT,
    "boot_instance" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL,
    "error_reason" TEXT,
    "gateway_url" TEXT NOT NULL,
    "init_script" TEXT,
    "secret_salt" BYTEA,
    "secret_hash" BYTEA,
    "secret_expires_at" TIMESTAMPTZ(3),
    "user_data_ciphertext" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_builds_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "instance_builds_tenant_id_created_at_idx" ON "instance_builds"("tenant_id", "created_at");

-- Instances (cloud-brain): rows are never deleted; instance_type is kept (cloud-brain lost it).
CREATE TABLE "instances" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "instance_type" TEXT NOT NULL,
    "public_ssh_key" TEXT,
    "state" TEXT NOT NULL,
    "ip_address" TEXT,
    "upstream_id" TEXT,
    "error_reason" TEXT,
    "env" TEXT,
    "site" TEXT,
    "role" TEXT,
    "queue" TEXT,
    "instance_build_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instances_pkey" PRIMARY KEY ("id")
);

-- Listing is newest first per tenant with a (created_at, id) cursor.
CREATE INDEX "instances_tenant_id_created_at_id_idx" ON "instances"("tenant_id", "created_at" DESC, "id" DESC);

-- Refresh reads one provider's rows by state.
CREATE INDEX "instances_provider_state_idx" ON "instances"("provider", "state");

CREATE INDEX "instances_instance_build_id_idx" ON "instances"("instance_build_id");

ALTER TABLE "instances" ADD CONSTRAINT "instances_instance_build_id_fkey" FOREIGN KEY ("instance_build_id") REFERENCES "instance_builds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The boot image catalog.
CREATE TABLE "images" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "image_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'available',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "images_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "images_tenant_id_provider_image_id_key" ON "images"("tenant_id", "provider", "image_id");

CREATE INDEX "images_tenant_id_provider_role_idx" ON "images"("tenant_id", "provider", "role");

-- At most one active image per tenant, provider and role (not expressible in schema.prisma).
CREATE UNIQUE INDEX "images_one_active_per_role_key" ON "images"("tenant_id", "provider", "role") WHERE "active";

-- Idempotency-Key of instance creation, per tenant; expired keys are swept periodically.
CREATE TABLE "idempotency_keys" (
    "tenant_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "instance_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenant_id","key")
);

CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
