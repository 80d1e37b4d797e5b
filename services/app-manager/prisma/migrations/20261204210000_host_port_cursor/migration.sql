-- Host ports are handed out from a per-district cursor, bumped in a statement of its own, instead of under a
-- district-wide lock held across a whole app create that also read every host port of the district.

ALTER TABLE "districts" ADD COLUMN "host_port_cursor" INTEGER NOT NULL DEFAULT 0;
