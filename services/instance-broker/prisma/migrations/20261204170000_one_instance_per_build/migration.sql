-- A build boots one instance, as pudding's worker did (RunInstances of 1): its `count` is the VM concurrency its
-- init script is given, not a number of instances. So a pending build that boots takes one instance of quota,
-- where it took `count`. Otherwise as in 20261204100000_tenant_quotas.
CREATE OR REPLACE FUNCTION "lock_instance_quotas"(tenant_ids TEXT[], requested INTEGER[], default_limit INTEGER, live_states TEXT[])
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
             + (SELECT count(*) FROM "instance_builds" b
                 WHERE b."tenant_id" = asks.id AND b."state" = 'pending' AND b."boot_instance"))::INTEGER,
           asks.total::INTEGER
      FROM (SELECT id, sum(n) AS total FROM unnest(tenant_ids, requested) AS pairs(id, n) GROUP BY id) AS asks
      LEFT JOIN "tenant_quotas" overrides ON overrides."tenant_id" = asks.id AND overrides."quota" = 'instances'
     ORDER BY asks.id;
END;
$$;
