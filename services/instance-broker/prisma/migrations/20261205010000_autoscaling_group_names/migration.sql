-- A group name names one build: Auto Scaling's AlreadyExists is taken as "an earlier try of this build made it",
-- which holds only if no other build of the tenant names the same group; and a topic's lifecycle notifications are
-- tied to a build by group name, so no other tenant's build of that topic may take the name.
CREATE UNIQUE INDEX "autoscaling_group_builds_tenant_id_name_key" ON "autoscaling_group_builds"("tenant_id", "name");
CREATE UNIQUE INDEX "autoscaling_group_builds_topic_arn_name_key" ON "autoscaling_group_builds"("topic_arn", "name");
