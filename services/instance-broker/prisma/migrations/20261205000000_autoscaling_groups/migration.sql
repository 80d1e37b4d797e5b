-- pudding's autoscaling group builds: a group made from one of the tenant's instances, with its scaling policies,
-- CloudWatch alarms and lifecycle hooks. `step` is the last step done, so a retried job resumes after it; `name` is
-- rendered once, at create, so every try names the same group.
CREATE TABLE "autoscaling_group_builds" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "instance_id" UUID NOT NULL,
    "upstream_instance_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_template" TEXT NOT NULL,
    "site" TEXT NOT NULL,
    "env" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "role_arn" TEXT NOT NULL,
    "topic_arn" TEXT NOT NULL,
    "instance_type" TEXT,
    "min_size" INTEGER NOT NULL,
    "max_size" INTEGER NOT NULL,
    "desired_capacity" INTEGER NOT NULL,
    "default_cooldown" INTEGER,
    "slack_channel" TEXT,
    "timestamp" BIGINT NOT NULL,
    "scale_out" JSONB NOT NULL,
    "scale_in" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "step" TEXT,
    "scale_out_policy_arn" TEXT,
    "scale_in_policy_arn" TEXT,
    "error_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autoscaling_group_builds_pkey" PRIMARY KEY ("id")
);

-- SNS messages name a topic: the builds that named it tie a message to its tenant.
CREATE INDEX "autoscaling_group_builds_topic_arn_idx" ON "autoscaling_group_builds"("topic_arn");
CREATE INDEX "autoscaling_group_builds_tenant_id_created_at_idx" ON "autoscaling_group_builds"("tenant_id", "created_at");

-- SNS delivers at least once: a MessageId seen before is not acted on again.
CREATE TABLE "sns_messages" (
    "message_id" TEXT NOT NULL,
    "topic_arn" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sns_messages_pkey" PRIMARY KEY ("message_id")
);

-- A lifecycle action the group paused an instance for, until the instance's own callback (instance-launches,
-- instance-terminations) completes it; pudding's instance_<transition>:<id> hashes.
CREATE TABLE "autoscaling_lifecycle_actions" (
    "tenant_id" TEXT NOT NULL,
    "transition" TEXT NOT NULL,
    "upstream_instance_id" TEXT NOT NULL,
    "build_id" UUID NOT NULL,
    "group_name" TEXT NOT NULL,
    "hook_name" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autoscaling_lifecycle_actions_pkey" PRIMARY KEY ("tenant_id", "transition", "upstream_instance_id"),
    CONSTRAINT "autoscaling_lifecycle_actions_transition_check" CHECK ("transition" IN ('launching', 'terminating'))
);

-- Instances their autoscaling group is terminating (pudding's expected_state=down): heartbeats answer `down`.
CREATE TABLE "expected_down_instances" (
    "tenant_id" TEXT NOT NULL,
    "upstream_instance_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expected_down_instances_pkey" PRIMARY KEY ("tenant_id", "upstream_instance_id")
);
