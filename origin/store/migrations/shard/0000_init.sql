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
	"audience" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"tenant_id" text NOT NULL,
	"id" bigint NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "members_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "items_actor_idx" ON "items" USING btree ("tenant_id","actor_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("seq") WHERE dispatched_at IS NULL;