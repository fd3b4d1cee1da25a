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
	CONSTRAINT "outbox_messages_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "search_results" (
	"search_id" uuid PRIMARY KEY NOT NULL,
	"interest_over_time" jsonb NOT NULL,
	"interest_by_region" jsonb NOT NULL,
	"related_queries" jsonb NOT NULL,
	"related_topics" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "searches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"watch_id" uuid,
	"keywords" jsonb NOT NULL,
	"geo" text NOT NULL,
	"timeframe" text,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"category" integer NOT NULL,
	"property" text NOT NULL,
	"generate" jsonb,
	"cache_key" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"failure_reason" text,
	"cached_from" uuid,
	"trigger_key" text,
	"correlation_id" text NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"keywords" jsonb NOT NULL,
	"geo" text NOT NULL,
	"timeframe" text NOT NULL,
	"category" integer NOT NULL,
	"property" text NOT NULL,
	"every" text NOT NULL,
	"timezone" text NOT NULL,
	"generate" jsonb,
	"status" text NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_search_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_results" ADD CONSTRAINT "search_results_search_id_searches_id_fk" FOREIGN KEY ("search_id") REFERENCES "public"."searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "searches" ADD CONSTRAINT "searches_watch_id_watches_id_fk" FOREIGN KEY ("watch_id") REFERENCES "public"."watches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_messages_unsent_idx" ON "outbox_messages" USING btree ("position") WHERE "outbox_messages"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "searches_user_created_idx" ON "searches" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "searches_cache_idx" ON "searches" USING btree ("cache_key","completed_at") WHERE "searches"."status" = 'completed';--> statement-breakpoint
CREATE INDEX "searches_pending_idx" ON "searches" USING btree ("updated_at") WHERE "searches"."status" in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "searches_trigger_key_unique" ON "searches" USING btree ("trigger_key");--> statement-breakpoint
CREATE INDEX "watches_user_created_idx" ON "watches" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "watches_status_idx" ON "watches" USING btree ("status");