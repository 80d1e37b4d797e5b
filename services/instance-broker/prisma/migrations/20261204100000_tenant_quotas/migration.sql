-- Per-tenant quotas on live instances. A tenant without a row here gets the configured default
-- (INSTANCE_QUOTA_PER_TENANT); `overcast-broker set-quota` writes and removes rows.
CREATE TABLE "tenant_quotas" (
    "tenant_id" TEXT NOT NULL,
    "quota" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_quotas_pkey" PRIMARY KEY ("tenant_id", "quota"),
    CONSTRAINT "tenant_quotas_limit_check" CHECK ("limit" >= 0)
);

-- What a tenant has in use is counted by state: rows are never deleted, so the count must not scan them all.
CREATE INDEX "instances_tenant_id_state_idx" ON "instances"("tenant_id", "state");
CREATE INDEX "instance_builds_tenant_id_state_idx" ON "instance_builds"("tenant_id", "state");

-- Locks the instance quota of each tenant named until the transaction ends (in one order, so two writers never
-- deadlock), then measures it. The measuring query runs after the locks with a snapshot of its own (a VOLATILE
-- function's statements each take one), so it counts what a concurrent writer committed while holding the lock:
-- two creates can never both fit under the limit. `requested[i]` instances are asked for `tenant_ids[i]`.
-- In use: instances in `live_states` (the caller's list of states that may exist at a provider) plus the count
-- of pending builds that will boot instances (a build's instances are inserted when it starts).
CREATE FUNCTION "lock_instance_quotas"(tenant_ids TEXT[], requested INTEGER[], default_limit INTEGER, live_states TEXT[])
RETURNS TABLE ("quota_tenant_id" TEXT, "quota_limit" INTEGER, "in_use" INTEGER, "asked" INTEGER)
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $$
BEGIN
  -- 1869571187: an arbitrary key naming this lock class; two-key locks never meet the one-key locks of migrations and jobs.
  PERFORM pg_advisory_xact_lock(1869571187, hashtext(ids.id))
    FROM (SELECT DISTINCT id FROM unnest(tenant_ids) AS id ORDER BY id) AS ids;
  RETURN QUERY
    SELECT asks.id,
           coalesce(overrides."limit", default_limit),
           ((SELECT count(*) FROM "instances" i WHERE i."tenant_id" = asks.id AND i."state" = ANY (live_states))
             + (SELECT coalesce(sum(b."count"), 0) FROM "instance_builds" b
                 WHERE b."tenant_id" = asks.id AND b."state" = 'pending' AND b."boot_instance"))::INTEGER,
           asks.total::INTEGER
      FROM (SELECT id, sum(n) AS total FROM unnest(tenant_ids, requested) AS pairs(id, n) GROUP BY id) AS asks
      LEFT JOIN "tenant_quotas" overrides ON overrides."tenant_id" = asks.id AND overrides."quota" = 'instances'
     ORDER BY asks.id;
END;
$$;

-- For one statement that inserts instances (one per element of tenant_ids): the same locks and measure, and an
-- error (SQLSTATE OCQ01, the usage as JSON in DETAIL) when a tenant would go over its limit, so the statement
-- inserts nothing.
CREATE FUNCTION "enforce_instance_quotas"(tenant_ids TEXT[], default_limit INTEGER, live_states TEXT[])
RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $$
DECLARE
  excess RECORD;
BEGIN
  SELECT * INTO excess
    FROM "lock_instance_quotas"(tenant_ids, array_fill(1, ARRAY[cardinality(tenant_ids)]), default_limit, live_states) AS usage
   WHERE usage."in_use" + usage."asked" > usage."quota_limit"
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'instance quota exceeded' USING
      ERRCODE = 'OCQ01',
      DETAIL = json_build_object('tenant_id', excess."quota_tenant_id", 'limit', excess."quota_limit",
                                 'used', excess."in_use", 'requested', excess."asked")::TEXT;
  END IF;
  RETURN TRUE;
END;
$$;
