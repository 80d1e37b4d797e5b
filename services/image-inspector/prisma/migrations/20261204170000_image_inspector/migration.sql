-- The image inspector: cloud accounts, tracked instances, power events, machine images.

CREATE TABLE "cloud_accounts" (
    "id" SERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT,
    "aws_account_id" TEXT,
    "account_arn" TEXT,
    "provider" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cloud_accounts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "cloud_accounts_account_arn_key" ON "cloud_accounts"("account_arn");
CREATE UNIQUE INDEX "cloud_accounts_tenant_id_name_key" ON "cloud_accounts"("tenant_id", "name");
CREATE UNIQUE INDEX "cloud_accounts_tenant_id_provider_key" ON "cloud_accounts"("tenant_id", "provider");
CREATE INDEX "cloud_accounts_tenant_id_created_at_idx" ON "cloud_accounts"("tenant_id", "created_at");

CREATE TABLE "tracked_instances" (
    "id" SERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "cloud_instance_id" TEXT NOT NULL,
    "region" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tracked_instances_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tracked_instances_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "cloud_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "tracked_instances_account_id_cloud_instance_id_key" ON "tracked_instances"("account_id", "cloud_instance_id");
CREATE INDEX "tracked_instances_tenant_id_created_at_idx" ON "tracked_instances"("tenant_id", "created_at");

CREATE TABLE "machine_images" (
    "id" SERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "cloud_image_id" TEXT NOT NULL,
    "owner_account_id" TEXT,
    "name" TEXT,
    "platform" TEXT NOT NULL DEFAULT 'none',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "is_encrypted" BOOLEAN NOT NULL DEFAULT false,
    "rhel_enabled_repos_found" BOOLEAN NOT NULL DEFAULT false,
    "rhel_product_certs_found" BOOLEAN NOT NULL DEFAULT false,
    "rhel_release_files_found" BOOLEAN NOT NULL DEFAULT false,
    "rhel_signed_packages_found" BOOLEAN NOT NULL DEFAULT false,
    "rhel_challenged" BOOLEAN NOT NULL DEFAULT false,
    "openshift_detected" BOOLEAN NOT NULL DEFAULT false,
    "openshift_challenged" BOOLEAN NOT NULL DEFAULT false,
    "openshift_tagged_at" TIMESTAMPTZ(3),
    "inspection" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "machine_images_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "machine_images_tenant_id_cloud_image_id_key" ON "machine_images"("tenant_id", "cloud_image_id");

CREATE TABLE "power_events" (
    "id" SERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "instance_id" INTEGER NOT NULL,
    "machine_image_id" INTEGER,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "subnet" TEXT,
    "instance_type" TEXT,
    "source_event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "power_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "power_events_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "tracked_instances"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "power_events_machine_image_id_fkey" FOREIGN KEY ("machine_image_id") REFERENCES "machine_images"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "power_events_instance_id_source_event_id_key" ON "power_events"("instance_id", "source_event_id");
CREATE INDEX "power_events_instance_id_occurred_at_idx" ON "power_events"("instance_id", "occurred_at");
CREATE INDEX "power_events_tenant_id_created_at_idx" ON "power_events"("tenant_id", "created_at");
