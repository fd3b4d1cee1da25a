import { z } from 'zod';

// The shapes of Google Trends widget data as recorded (see test/fixtures/gtrends/SOURCES.md).
// Unknown fields are allowed through: Google adds fields now and then, and only missing ones hurt.

const timelinePoint = z.object({
  time: z.string().regex(/^\d+$/, 'unix seconds'),
  formattedTime: z.string(),
  formattedAxisTime: z.string().optional(),
  value: z.array(z.number()),
  hasData: z.array(z.boolean()),
  formattedValue: z.array(z.string()).optional(),
  /** Only on the last point, while the period it covers is still running. */
  isPartial: z.boolean().optional(),
});

export const multilineSchema = z.object({
  default: z.object({
    timelineData: z.array(timelinePoint),
    averages: z.array(z.number()).optional(),
  }),
});

const rankedItem = z.object({
  value: z.number(),
  /** A number for TOP ("100"), a growth for RISING ("+250%") or "Breakout" (more than +5000%). */
  formattedValue: z.string(),
  hasData: z.boolean().optional(),
  link: z.string().optional(),
});

export const relatedQueriesSchema = z.object({
  default: z.object({
    rankedList: z.array(z.object({ rankedKeyword: z.array(rankedItem.extend({ query: z.string() })) })),
  }),
});

export const relatedTopicsSchema = z.object({
  default: z.object({
    rankedList: z.array(
      z.object({
        rankedKeyword: z.array(
          rankedItem.extend({ topic: z.object({ mid: z.string(), title: z.string(), type: z.string() }) }),
        ),
      }),
    ),
  }),
});

export const comparedGeoSchema = z.object({
  default: z.object({
    geoMapData: z.array(
      z.object({
        // City resolution answers with coordinates instead of a code.
        geoCode: z.string().optional(),
        geoName: z.string(),
        value: z.array(z.number()),
        formattedValue: z.array(z.string()).optional(),
        maxValueIndex: z.number().optional(),
        hasData: z.array(z.boolean()),
      }),
    ),
  }),
});
