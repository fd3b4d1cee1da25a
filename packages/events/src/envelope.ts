import { z } from 'zod';

/** Every event on the wire is this envelope; `data` is checked against the contract of `type@version`. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(3).max(200),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1).max(100),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).optional(),
  data: z.unknown(),
});

export type RawEnvelope = z.infer<typeof envelopeSchema>;
