-- Usage reports read each instance's events in (occurred_at, id) order, the order the reports' window function walks
-- them in, from the index alone (event_type is in it); it supersedes the (instance_id, occurred_at) index. An
-- instance's image is the one of its earliest event that names one: the partial index finds that event in one probe.
DROP INDEX "power_events_instance_id_occurred_at_idx";
CREATE INDEX "power_events_instance_id_occurred_at_id_event_type_idx" ON "power_events"("instance_id", "occurred_at", "id", "event_type");
CREATE INDEX "power_events_first_image_idx" ON "power_events"("instance_id", "occurred_at", "id") INCLUDE ("machine_image_id") WHERE "machine_image_id" IS NOT NULL;
