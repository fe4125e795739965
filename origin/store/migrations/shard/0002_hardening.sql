DROP INDEX "outbox_pending_idx";--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "session_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "ended_sessions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Records relayed before jobs reported back were done when dispatched: never deliver them again.
UPDATE "outbox" SET "done_at" = "dispatched_at" WHERE "dispatched_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "items_public_tags_idx" ON "items" USING gin (("data"->'tags')) WHERE audience = 'public' AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "items_public_place_idx" ON "items" USING btree ("tenant_id",("data"->>'placeSlug'),"id" DESC NULLS LAST) WHERE audience = 'public' AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_undone_idx" ON "outbox" USING btree ("created_at") WHERE done_at IS NULL;