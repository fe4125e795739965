CREATE TABLE "blocks" (
	"tenant_id" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"other_id" bigint NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blocks_tenant_id_owner_id_other_id_direction_pk" PRIMARY KEY("tenant_id","owner_id","other_id","direction")
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"item_id" bigint NOT NULL,
	"item_owner_id" bigint NOT NULL,
	"author_id" bigint NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "comments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"owner_id" bigint NOT NULL,
	"other_ids" jsonb NOT NULL,
	"last_message_id" bigint,
	"unread" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "conversations_tenant_id_owner_id_id_pk" PRIMARY KEY("tenant_id","owner_id","id")
);
--> statement-breakpoint
CREATE TABLE "friend_lists" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"owner_id" bigint NOT NULL,
	"name" text NOT NULL,
	"member_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "friend_lists_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "friend_requests" (
	"tenant_id" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"other_id" bigint NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "friend_requests_tenant_id_owner_id_other_id_pk" PRIMARY KEY("tenant_id","owner_id","other_id")
);
--> statement-breakpoint
CREATE TABLE "friendships" (
	"tenant_id" text NOT NULL,
	"member_id" bigint NOT NULL,
	"friend_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "friendships_tenant_id_member_id_friend_id_pk" PRIMARY KEY("tenant_id","member_id","friend_id")
);
--> statement-breakpoint
CREATE TABLE "items" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"actor_id" bigint NOT NULL,
	"verb" text NOT NULL,
	"object_id" bigint,
	"target_id" bigint,
	"audience" text NOT NULL,
	"audience_list_id" bigint,
	"text" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
) PARTITION BY RANGE ("id");
--> statement-breakpoint
-- Rows outside every monthly partition land here; partition maintenance keeps it empty.
CREATE TABLE "items_default" PARTITION OF "items" DEFAULT;
--> statement-breakpoint
CREATE TABLE "likes" (
	"tenant_id" text NOT NULL,
	"item_id" bigint NOT NULL,
	"item_owner_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "likes_tenant_id_item_id_member_id_pk" PRIMARY KEY("tenant_id","item_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"friend_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "members_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"owner_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"sender_id" bigint NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "messages_tenant_id_owner_id_id_pk" PRIMARY KEY("tenant_id","owner_id","id")
) PARTITION BY RANGE ("id");
--> statement-breakpoint
-- Rows outside every monthly partition land here; partition maintenance keeps it empty.
CREATE TABLE "messages_default" PARTITION OF "messages" DEFAULT;
--> statement-breakpoint
CREATE TABLE "notifications" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"actor_id" bigint NOT NULL,
	"item_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notifications_tenant_id_member_id_id_pk" PRIMARY KEY("tenant_id","member_id","id")
) PARTITION BY RANGE ("id");
--> statement-breakpoint
-- Rows outside every monthly partition land here; partition maintenance keeps it empty.
CREATE TABLE "notifications_default" PARTITION OF "notifications" DEFAULT;
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigserial NOT NULL,
	"tenant_id" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	CONSTRAINT "outbox_seq_created_at_pk" PRIMARY KEY("seq","created_at")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
-- Rows outside every monthly partition land here; partition maintenance keeps it empty.
CREATE TABLE "outbox_default" PARTITION OF "outbox" DEFAULT;
--> statement-breakpoint
CREATE TABLE "shard_fences" (
	"key" text PRIMARY KEY NOT NULL,
	"logical_shard" smallint NOT NULL,
	"member_id" bigint,
	"moved_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "comments_item_idx" ON "comments" USING btree ("tenant_id","item_id","id");--> statement-breakpoint
CREATE INDEX "items_actor_idx" ON "items" USING btree ("tenant_id","actor_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "members_display_name_idx" ON "members" USING btree ("tenant_id",lower("display_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "members_username_idx" ON "members" USING btree ("tenant_id","username" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("tenant_id","owner_id","conversation_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_member_idx" ON "notifications" USING btree ("tenant_id","member_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("seq") WHERE dispatched_at IS NULL;