import { reply, type FakeOllama, type ReplyTiming, type SeenOllamaRequest } from '@trendcast/fakes';

const lines = [
  'Detroit style pizza searches are up 350% this year, and New York leads the interest.',
  'Pizza interest peaked on February 7, with cauliflower crusts climbing fast too.',
  'New Jersey is close behind New York in pizza searches; Detroit style keeps rising.',
  'Searches for pizza near me open now broke out this year. Late-night slices, anyone?',
  'Cauliflower pizza crust searches grew 120%, a lighter take on a favourite.',
  'Pizza averaged 78 out of 100 in search interest across 2021, peaking in February.',
  'Detroit style squares are having a moment: searches up 350% over the year.',
  'New York tops the map for pizza searches, with New Jersey right behind.',
  'From Detroit style to cauliflower crusts, pizza kept changing shape in 2021.',
  'Pizza night plans? Searches peaked in February and again around Thanksgiving.',
];

/** How many drafts the request's format schema asks for. */
function countAsked(request: SeenOllamaRequest): number {
  return Number(request.body?.format?.properties?.drafts?.minItems ?? 3);
}

/** Answers every chat with as many distinct, grounded drafts as asked (after `timing`). */
export function answerWithDrafts(fake: FakeOllama, timing: ReplyTiming = {}): void {
  fake.respondWith((request) => reply.json({ drafts: lines.slice(0, countAsked(request)).map((text) => ({ text })) }, timing));
}
