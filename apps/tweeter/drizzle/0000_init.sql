CREATE TABLE "channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"handle" text,
	"instance_url" text,
	"account_name" text,
	"sealed_credentials" text,
	"credentials_key_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"max_characters" integer NOT NULL,
	"link_weight" integer DEFAULT 23 NOT NULL,
	"paused_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erased_users" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "mastodon_apps" (
	"instance_url" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"client_id" text NOT NULL,
	"sealed_client_secret" text NOT NULL,
	"credentials_key_id" text NOT NULL,
	"scopes" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mastodon_apps_instance_url_redirect_uri_pk" PRIMARY KEY("instance_url","redirect_uri")
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
CREATE TABLE "post_attempts" (
	"post_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"error" text,
	CONSTRAINT "post_attempts_post_id_number_pk" PRIMARY KEY("post_id","number")
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"channel_kind" text NOT NULL,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"publish_at" timestamp with time zone NOT NULL,
	"draft_id" uuid,
	"sentiment_label" text,
	"sentiment_score" real,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"rate_limited_count" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"unknown_since" timestamp with time zone,
	"published_at" timestamp with time zone,
	"url" text,
	"remote_id" text,
	"failure_reason" text,
	"correlation_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "post_attempts" ADD CONSTRAINT "post_attempts_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channels_user_created_idx" ON "channels" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_handle_unique" ON "channels" USING btree ("handle") WHERE "channels"."kind" = 'timeline';--> statement-breakpoint
CREATE INDEX "inbox_messages_handled_at_idx" ON "inbox_messages" USING btree ("handled_at");--> statement-breakpoint
CREATE INDEX "outbox_messages_unsent_idx" ON "outbox_messages" USING btree ("position") WHERE "outbox_messages"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "posts_user_created_idx" ON "posts" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_user_draft_unique" ON "posts" USING btree ("user_id","draft_id");--> statement-breakpoint
CREATE INDEX "posts_due_idx" ON "posts" USING btree ("publish_at") WHERE "posts"."status" in ('scheduled', 'publishing');--> statement-breakpoint
CREATE INDEX "posts_channel_inflight_idx" ON "posts" USING btree ("channel_id") WHERE "posts"."status" = 'publishing';--> statement-breakpoint
CREATE INDEX "posts_timeline_idx" ON "posts" USING btree ("published_at","id") WHERE "posts"."status" = 'published' and "posts"."channel_kind" = 'timeline';--> statement-breakpoint
CREATE INDEX "posts_channel_published_idx" ON "posts" USING btree ("channel_id","published_at","id") WHERE "posts"."status" = 'published';