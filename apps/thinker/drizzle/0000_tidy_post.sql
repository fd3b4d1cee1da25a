CREATE TABLE "drafts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"generation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"channel" text NOT NULL,
	"model" text NOT NULL,
	"shortened" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"sentiment_label" text NOT NULL,
	"sentiment_score" real NOT NULL,
	"sentiment_confidence" real NOT NULL,
	"sentiment_model" text NOT NULL,
	"channel_id" uuid,
	"publish_at" timestamp with time zone,
	"published_url" text,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erased_users" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"search_id" uuid,
	"topic" text,
	"source" jsonb NOT NULL,
	"count" integer NOT NULL,
	"tone" text NOT NULL,
	"channel" text NOT NULL,
	"language" text,
	"status" text NOT NULL,
	"reason" text,
	"failure_code" text,
	"model" text,
	"fallback_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"trigger_key" text,
	"correlation_id" text NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"refusals" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"parked_at" timestamp with time zone,
	CONSTRAINT "outbox_messages_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "trend_searches" (
	"search_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"keywords" jsonb NOT NULL,
	"geo" text NOT NULL,
	"summary" jsonb NOT NULL,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drafts_user_created_idx" ON "drafts" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "drafts_generation_idx" ON "drafts" USING btree ("generation_id","position");--> statement-breakpoint
CREATE INDEX "generations_user_created_idx" ON "generations" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "generations_pending_idx" ON "generations" USING btree ("updated_at") WHERE "generations"."status" in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "generations_trigger_key_unique" ON "generations" USING btree ("trigger_key");--> statement-breakpoint
CREATE INDEX "inbox_messages_handled_at_idx" ON "inbox_messages" USING btree ("handled_at");--> statement-breakpoint
CREATE INDEX "outbox_messages_unsent_idx" ON "outbox_messages" USING btree ("position") WHERE "outbox_messages"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "trend_searches_user_idx" ON "trend_searches" USING btree ("user_id");