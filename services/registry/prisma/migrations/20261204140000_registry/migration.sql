-- The registry: root CA, accounts, datacenters and profiles, deployments, placements, nodes, events.

CREATE TABLE "authorities" (
    "id" TEXT NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "sealed_private_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "authorities_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "accounts_tenant_id_email_key" ON "accounts"("tenant_id", "email");

CREATE TABLE "datacenters" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "last_heartbeat_at" TIMESTAMPTZ(3) NOT NULL,
    "up_since" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "datacenters_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "datacenters_tenant_id_name_key" ON "datacenters"("tenant_id", "name");
CREATE INDEX "datacenters_region_idx" ON "datacenters"("region");

CREATE TABLE "datacenter_profiles" (
    "datacenter_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cpu" DOUBLE PRECISION NOT NULL,
    "memory_bytes" BIGINT NOT NULL,
    "lifetime" TEXT NOT NULL,
    "price" DOUBLE PRECISION NOT NULL,
    "capacity" INTEGER NOT NULL,
    CONSTRAINT "datacenter_profiles_pkey" PRIMARY KEY ("datacenter_id", "name"),
    CONSTRAINT "datacenter_profiles_datacenter_id_fkey" FOREIGN KEY ("datacenter_id") REFERENCES "datacenters"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "deployments" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "sealed_private_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "deployments_tenant_id_created_at_idx" ON "deployments"("tenant_id", "created_at");

CREATE TABLE "placements" (
    "deployment_id" UUID NOT NULL,
    "entry" TEXT NOT NULL,
    "datacenter_id" UUID,
    "preferred_id" UUID,
    CONSTRAINT "placements_pkey" PRIMARY KEY ("deployment_id", "entry"),
    CONSTRAINT "placements_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "placements_datacenter_id_idx" ON "placements"("datacenter_id");

CREATE TABLE "nodes" (
    "id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "datacenter_id" UUID NOT NULL,
    "profile" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "endpoint" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "nodes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "nodes_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "nodes_datacenter_id_idx" ON "nodes"("datacenter_id");
CREATE INDEX "nodes_deployment_id_idx" ON "nodes"("deployment_id");

CREATE TABLE "deployment_events" (
    "seq" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deployment_events_pkey" PRIMARY KEY ("seq")
);
CREATE INDEX "deployment_events_deployment_id_seq_idx" ON "deployment_events"("deployment_id", "seq");
