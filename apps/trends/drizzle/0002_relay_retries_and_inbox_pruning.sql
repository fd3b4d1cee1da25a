ALTER TABLE "outbox_messages" ADD COLUMN "refusals" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "parked_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "inbox_messages_handled_at_idx" ON "inbox_messages" USING btree ("handled_at");