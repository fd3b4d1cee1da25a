import type { Tone } from './generation-request.js';

// The offline generator's English wording. Openings are ten per tone so that up to ten drafts each
// start differently; trend openings speak of data, topic openings never do (there is none).

export const trendOpenings: Record<Tone, readonly string[]> = {
  neutral: [
    'Trend check.',
    'From Google Trends:',
    'Search data update.',
    'Here is what the searches show.',
    'A quick look at search interest.',
    'Worth noting:',
    'The latest numbers:',
    'Search snapshot:',
    'Data point:',
    'Today in search trends:',
  ],
  enthusiastic: [
    'Big news!',
    'Look at this!',
    'This is exciting!',
    'Whoa!',
    'Guess what?',
    'Here we go!',
    'Trend alert!',
    'You will love this!',
    'Something is happening!',
    'Get ready!',
  ],
  professional: [
    'Market signal:',
    'Search insight:',
    'Trend briefing:',
    'For your planning:',
    'Demand indicator:',
    'Consumer interest update:',
    'Key observation:',
    'Latest search intelligence:',
    'Insight of the day:',
    'Trend summary:',
  ],
  witty: [
    'Plot twist:',
    'Breaking news from the search bar:',
    'The internet has been busy.',
    'Nobody asked, but here it is:',
    'Stop scrolling, this matters:',
    'Your search history called.',
    'Spotted in the wild:',
    'Hot take, straight from the data:',
    'Fun fact nobody needed:',
    'In today\'s episode of "what is everyone googling":',
  ],
  informative: [
    'Did you know?',
    'By the numbers:',
    'Here is the context:',
    'Quick explainer:',
    'What the data says:',
    'A closer look:',
    'The short version:',
    'Useful to know:',
    'Search trends, explained:',
    'Fact check:',
  ],
};

export const topicOpenings: Record<Tone, readonly string[]> = {
  neutral: [
    'A quick note.',
    'On the agenda:',
    'Something to consider:',
    "Today's subject:",
    'For the record:',
    'Briefly:',
    'A thought:',
    'Topic of the day:',
    'Here is one for you:',
    'Noted:',
  ],
  enthusiastic: [
    'Big day!',
    'So excited about this!',
    'Here we go!',
    'Can we talk about this?',
    'Yes!',
    'This one is fun!',
    'Get ready!',
    'Love this!',
    'Guess what we are thinking about?',
    'Okay, this is great!',
  ],
  professional: [
    'Update:',
    'For your attention:',
    'Today we are focusing on:',
    'A brief note:',
    'Worth your attention:',
    'Key topic:',
    'On our radar:',
    'Priority topic:',
    'In focus:',
    'Agenda item:',
  ],
  witty: [
    'Hot take incoming.',
    'Hear us out.',
    'Okay, confession:',
    'Unpopular opinion? Maybe not.',
    'Breaking (not really) news:',
    'Brace yourselves.',
    'Important thoughts, as always:',
    'File under: things we think about.',
    'Not to be dramatic, but:',
    'Quick one:',
  ],
  informative: [
    'Explainer:',
    'Context:',
    'Quick guide:',
    'Here is the topic in brief:',
    'Background:',
    'What to know:',
    'In short:',
    'Topic overview:',
    'A primer:',
    'Key subject:',
  ],
};

export const closings: Record<Tone, readonly string[]> = {
  neutral: ['More soon.', 'We will keep watching.', 'That is where things stand.', 'Worth a look.', ''],
  enthusiastic: ['Who else is in?', 'Love to see it!', 'This is just getting started!', 'Count us in!', "Let's go!"],
  professional: ['Worth factoring into your plans.', 'A signal worth watching.', 'Relevant for anyone planning ahead.', 'We will continue to monitor it.', ''],
  witty: ['Make of that what you will.', 'The internet has spoken.', 'Nobody is surprised.', 'We have questions.', 'Carry on.'],
  informative: ['Good to know if you follow this space.', 'Useful context for what comes next.', 'Keep it in mind.', 'That is the short version.', ''],
};

type RisingFact = { keyword: string; query: string; growth: string; where: string };
type PeakFact = { keyword: string; day: string; value: number };

export const risingLeads: ReadonlyArray<(fact: RisingFact) => string> = [
  (f) => `Searches for "${f.query}" are ${f.growth} ${f.where}.`,
  (f) => `"${f.query}" is one of the fastest-rising ${f.keyword} searches right now, ${f.growth}.`,
  (f) => `People are suddenly searching "${f.query}" (${f.growth}).`,
  (f) => `"${f.query}" is climbing fast (${f.growth}).`,
];

export const peakLeads: ReadonlyArray<(fact: PeakFact) => string> = [
  (f) => `Interest in ${f.keyword} peaked on ${f.day}.`,
  (f) => `${capitalize(f.keyword)} searches hit their high point on ${f.day}.`,
  (f) => `${capitalize(f.keyword)} searches were busiest on ${f.day}.`,
  (f) => `On ${f.day}, interest in ${f.keyword} reached ${f.value} on Google Trends' 0-100 scale.`,
];

export const regionLines: ReadonlyArray<(region: string) => string> = [
  (region) => `${region} searched for it the most.`,
  (region) => `Top region: ${region}.`,
];

export const averageLines: ReadonlyArray<(fact: { keyword: string; value: number; period: string }) => string> = [
  (f) => `Average interest ${f.period}: ${f.value} out of 100.`,
  (f) => `${capitalize(f.keyword)} averaged ${f.value}/100 ${f.period}.`,
];

export const topQueryLines: ReadonlyArray<(fact: { query: string }) => string> = [
  (f) => `The most common related search: "${f.query}".`,
  (f) => `Top related search: "${f.query}".`,
];

/** Honest sentences for a topic with no data behind it: they state the topic and claim nothing. */
export const topicLines: ReadonlyArray<(topic: string) => string> = [
  (topic) => sentence(capitalize(topic)),
  (topic) => sentence(`Let's talk about ${midSentence(topic)}`),
  (topic) => sentence(`We are thinking about ${midSentence(topic)}`),
  (topic) => sentence(`Today's focus is ${midSentence(topic)}`),
  (topic) => sentence(`This one is about ${midSentence(topic)}`),
];

/** Honest sentences when the search found no data to quote. */
export const noDataLines: ReadonlyArray<(fact: { keyword: string; place: string; period: string }) => string> = [
  (f) => `There is too little search data for ${f.keyword} (${f.place}, ${f.period}) to call a trend.`,
  (f) => `Searches for ${f.keyword} stayed too low ${f.period} for Google Trends to chart (${f.place}).`,
];

export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en') + text.slice(1);
}

// Words that start a topic as typed but read lower-case inside a sentence ("Our bakery" → "our bakery").
const sentenceStarters = new Set(['a', 'an', 'the', 'our', 'my', 'your', 'their', 'his', 'her', 'its', 'this', 'that', 'these', 'those', 'we', 'new', 'how', 'why', 'what', 'when']);

function midSentence(topic: string): string {
  const first = topic.split(/\s/u, 1)[0] ?? '';
  return sentenceStarters.has(first.toLowerCase()) && /^\p{Lu}\p{Ll}*$/u.test(first) ? topic.charAt(0).toLowerCase() + topic.slice(1) : topic;
}

function sentence(text: string): string {
  return /[.!?…]$/u.test(text) ? text : `${text}.`;
}
