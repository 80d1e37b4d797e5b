-- An app's create takes no lock and no commit outside its own transaction (bench/README.md, apps):
--
-- Host ports come from one sequence of the schema instead of a per-district cursor. nextval locks no row and is
-- not rolled back, so concurrent creates get disjoint candidates inside their own transactions; the primary key of
-- host_ports still makes each port unique per district, and a candidate another service holds is swapped for the
-- lowest free one, as before.
CREATE SEQUENCE "host_port_cursor" AS INTEGER MINVALUE 0 MAXVALUE 9999 START 0 CYCLE;
SELECT setval('host_port_cursor', COALESCE((SELECT max("host_port_cursor") FROM "districts"), 0), false);
ALTER TABLE "districts" DROP COLUMN "host_port_cursor";

-- The apps quota is enforced on a count per tenant, moved by one in the statement that inserts or deletes an app:
-- the row's lock orders a tenant's creates from that statement to their commit (as the advisory lock did), and no
-- create counts the tenant's apps.
CREATE TABLE "tenant_app_counts" (
    "tenant_id" TEXT NOT NULL,
    "apps" INTEGER NOT NULL,
    CONSTRAINT "tenant_app_counts_pkey" PRIMARY KEY ("tenant_id")
);
INSERT INTO "tenant_app_counts" ("tenant_id", "apps") SELECT "tenant_id", count(*) FROM "apps" GROUP BY "tenant_id";
