import { z } from 'zod';

/**
 * The reply the model must give for `count` drafts. Its JSON Schema (`z.toJSONSchema`) goes to the
 * model as `format`, so the server constrains the output to it; the same schema then validates
 * what came back.
 */
export function draftReplySchema(count: number) {
  return z.object({
    drafts: z
      .array(z.object({ text: z.string().min(1).describe('One complete post, ready to publish') }))
      .length(count),
  });
}
export type DraftReply = z.output<ReturnType<typeof draftReplySchema>>;
