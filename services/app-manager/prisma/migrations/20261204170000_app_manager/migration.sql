-- The app manager: districts, container instances, apps, services, host ports, env vars, releases, deploys,
-- events, one-offs.

CREATE TABLE "districts" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "aws" JSONB NOT NULL,
    "sealed_credentials" TEXT,
    "dockercfg" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "districts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "districts_tenant_id_name_key" ON "districts"("tenant_id", "name");

CREATE TABLE "container_instances" (
    "id" UUID NOT NULL,
    "district_id" UUID NOT NULL,
    "instance_type" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "ip_address" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "container_instances_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "container_instances_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "container_instances_district_id_idx" ON "container_instances"("district_id");

CREATE TABLE "apps" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "district_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "image_name" TEXT,
    "image_tag" TEXT,
    "before_deploy" TEXT,
    "slack_url" TEXT,
    "release" INTEGER NOT NULL,
    "applied_release" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "apps_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "apps_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "apps_tenant_id_name_key" ON "apps"("tenant_id", "name");
CREATE INDEX "apps_district_id_idx" ON "apps"("district_id");

CREATE TABLE "app_services" (
    "id" UUID NOT NULL,
    "app_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cpu" INTEGER NOT NULL,
    "memory" INTEGER NOT NULL,
    "command" TEXT,
    "public" BOOLEAN NOT NULL,
    "scale" INTEGER NOT NULL,
    "schedule" TEXT,
    "port_mappings" JSONB NOT NULL,
    "endpoint_dns" TEXT,
    "next_run_at" TIMESTAMPTZ(3),
    CONSTRAINT "app_services_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "app_services_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "app_services_app_id_name_key" ON "app_services"("app_id", "name");
CREATE INDEX "app_services_next_run_at_idx" ON "app_services"("next_run_at");

CREATE TABLE "host_ports" (
    "district_id" UUID NOT NULL,
    "host_port" INTEGER NOT NULL,
    "app_service_id" UUID NOT NULL,
    CONSTRAINT "host_ports_pkey" PRIMARY KEY ("district_id", "host_port"),
    CONSTRAINT "host_ports_app_service_id_fkey" FOREIGN KEY ("app_service_id") REFERENCES "app_services"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "env_vars" (
    "app_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "sealed_value" TEXT NOT NULL,
    CONSTRAINT "env_vars_pkey" PRIMARY KEY ("app_id", "key"),
    CONSTRAINT "env_vars_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "releases" (
    "app_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "sealed_env" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "releases_pkey" PRIMARY KEY ("app_id", "version"),
    CONSTRAINT "releases_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "deploys" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "app_id" UUID NOT NULL,
    "release" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "deploys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "deploys_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "deploys_app_id_started_at_idx" ON "deploys"("app_id", "started_at");

CREATE TABLE "app_events" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "app_id" UUID NOT NULL,
    "release" INTEGER,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_events_pkey" PRIMARY KEY ("seq"),
    CONSTRAINT "app_events_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "app_events_id_key" ON "app_events"("id");
CREATE INDEX "app_events_app_id_seq_idx" ON "app_events"("app_id", "seq");

CREATE TABLE "oneoffs" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "app_id" UUID NOT NULL,
    "command" TEXT NOT NULL,
    "image_tag" TEXT,
    "sealed_env" TEXT NOT NULL,
    "service" TEXT,
    "task_arn" TEXT,
    "status" TEXT NOT NULL,
    "exit_code" INTEGER,
    "reason" TEXT,
    "output" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oneoffs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "oneoffs_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "oneoffs_app_id_created_at_idx" ON "oneoffs"("app_id", "created_at");
