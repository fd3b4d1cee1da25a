CREATE TABLE "email_link_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"purpose" "one_time_token_purpose" NOT NULL,
	"email" text NOT NULL,
	"correlation_id" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "email_link_requests_available_idx" ON "email_link_requests" USING btree ("available_at","id");