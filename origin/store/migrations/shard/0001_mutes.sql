CREATE TABLE "mutes" (
	"tenant_id" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"other_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutes_tenant_id_owner_id_other_id_pk" PRIMARY KEY("tenant_id","owner_id","other_id")
);
