-- The instances an autoscaling group Overcast built launched, adopted as Overcast instances of the build's tenant
-- (pudding's ec2-sync listed them by tag). One row per group and provider id: the unique key is what makes a
-- redelivered LAUNCHING notification, or one racing the periodic sync, adopt the instance once. The instance row
-- is inserted in the same transaction, after this one (hence the deferred check).
CREATE TABLE "autoscaling_group_instances" (
    "instance_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "build_id" UUID NOT NULL,
    "upstream_instance_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autoscaling_group_instances_pkey" PRIMARY KEY ("instance_id")
);

CREATE UNIQUE INDEX "autoscaling_group_instances_build_id_upstream_instance_id_key"
    ON "autoscaling_group_instances"("build_id", "upstream_instance_id");

ALTER TABLE "autoscaling_group_instances" ADD CONSTRAINT "autoscaling_group_instances_build_id_fkey"
    FOREIGN KEY ("build_id") REFERENCES "autoscaling_group_builds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "autoscaling_group_instances" ADD CONSTRAINT "autoscaling_group_instances_instance_id_fkey"
    FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE RESTRICT ON UPDATE CASCADE
    DEFERRABLE INITIALLY DEFERRED;
