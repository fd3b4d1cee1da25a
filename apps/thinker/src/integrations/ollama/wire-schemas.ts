import { z } from 'zod';

// What we read from Ollama's answers, checked at the boundary; fields we do not use are let through.

export const showResponseSchema = z.looseObject({
  /** Absent on servers before 0.6.4. */
  capabilities: z.array(z.string()).optional(),
});

export const tagsResponseSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string().min(1),
      size: z.number().optional(),
      modified_at: z.string().optional(),
      details: z
        .looseObject({
          family: z.string().optional(),
          parameter_size: z.string().optional(),
          quantization_level: z.string().optional(),
        })
        .optional(),
    }),
  ),
});

export const chatChunkSchema = z.looseObject({
  model: z.string().optional(),
  message: z.looseObject({ content: z.string().default(''), thinking: z.string().optional() }).optional(),
  done: z.boolean(),
  done_reason: z.string().optional(),
  eval_count: z.number().optional(),
});
