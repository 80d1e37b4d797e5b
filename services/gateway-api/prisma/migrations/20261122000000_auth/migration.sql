-- Tenants own every resource; the gateway resolves a token to its tenant.
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "tenants_name_key" ON "tenants"("name");

-- API tokens: `<id>-<32 hex>`; only the salt and scrypt hash of the secret are kept.
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "salt" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "api_tokens_tenant_id_id_idx" ON "api_tokens"("tenant_id", "id");

-- Replicas poll recent revocations so a revoked token stops working everywhere quickly.
CREATE INDEX "api_tokens_revoked_at_idx" ON "api_tokens"("revoked_at");

ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rate-limit counters shared by every gateway replica (each flushes its local counts every few hundred ms).
CREATE TABLE "rate_limit_counters" (
    "key" TEXT NOT NULL,
    "window_start" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("key","window_start")
);

CREATE INDEX "rate_limit_counters_window_start_idx" ON "rate_limit_counters"("window_start");
