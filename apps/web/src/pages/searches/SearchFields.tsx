import { useId } from 'react';
import { CheckboxField, SelectField, TextField } from '../../components/Field.js';
import { tones, channelKinds, type ChannelKind, type Tone } from '../../lib/api/thinker.js';
import { properties, timeframes, type SearchRequest, type Timeframe } from '../../lib/api/trends.js';

export interface SearchFormValues {
  keywords: string;
  geo: string;
  timeframe: Timeframe;
  property: string;
  writeDrafts: boolean;
  count: number;
  tone: Tone;
  channel: ChannelKind;
}

export const initialSearchValues: SearchFormValues = {
  keywords: '',
  geo: '',
  timeframe: 'past-12-months',
  property: 'web',
  writeDrafts: false,
  count: 3,
  tone: 'neutral',
  channel: 'timeline',
};

const countries = ['US', 'GB', 'CA', 'AU', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR', 'SE', 'NO', 'DK', 'PL', 'IE', 'NZ', 'ZA'];
const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });

export function parseKeywords(text: string): string[] {
  return text
    .split(',')
    .map((keyword) => keyword.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

/** Problems the form can tell before asking the server (the server checks again). */
export function checkSearchValues(values: SearchFormValues): Record<string, string> {
  const problems: Record<string, string> = {};
  const keywords = parseKeywords(values.keywords);
  if (keywords.length === 0) problems.keywords = 'Enter at least one keyword.';
  else if (keywords.length > 5) problems.keywords = 'Google Trends compares at most 5 keywords at once.';
  else if (new Set(keywords.map((k) => k.toLowerCase())).size !== keywords.length) problems.keywords = 'Each keyword may appear once.';
  else if (keywords.some((k) => k.length > 100)) problems.keywords = 'Keep each keyword under 100 characters.';
  if (values.geo && !/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(values.geo.trim())) {
    problems.geo = 'Use a country code like US, or a region code like US-NY; leave empty for worldwide.';
  }
  return problems;
}

export function toSearchRequest(values: SearchFormValues): SearchRequest {
  return {
    keywords: parseKeywords(values.keywords),
    geo: values.geo.trim().toUpperCase(),
    timeframe: values.timeframe,
    property: values.property,
    ...(values.writeDrafts ? { generate: { count: values.count, tone: values.tone, channel: values.channel } } : {}),
  };
}

/** The question to Google Trends, and whether to have drafts written from the answer. */
export function SearchFields({
  values,
  onChange,
  errors,
}: {
  values: SearchFormValues;
  onChange: (values: SearchFormValues) => void;
  errors: Record<string, string | undefined>;
}) {
  const listId = useId();
  const set = <K extends keyof SearchFormValues>(key: K, value: SearchFormValues[K]) => onChange({ ...values, [key]: value });
  return (
    <>
      <TextField
        label="Keywords"
        name="keywords"
        required
        hint="Up to 5, separated by commas, to compare them."
        placeholder="pizza, bagel"
        value={values.keywords}
        onChange={(e) => set('keywords', e.target.value)}
        error={errors.keywords}
      />
      <TextField
        label="Region"
        name="geo"
        list={listId}
        hint="Empty for worldwide, a country code (US) or a region code (US-NY)."
        value={values.geo}
        onChange={(e) => set('geo', e.target.value)}
        error={errors.geo}
        autoComplete="off"
      />
      <datalist id={listId}>
        {countries.map((code) => (
          <option key={code} value={code}>
            {regionNames.of(code)}
          </option>
        ))}
      </datalist>
      <SelectField label="Period" name="timeframe" value={values.timeframe} onChange={(e) => set('timeframe', e.target.value as Timeframe)} error={errors.timeframe}>
        {timeframes.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Searched on" name="property" value={values.property} onChange={(e) => set('property', e.target.value)} error={errors.property}>
        {properties.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <fieldset className="fieldset">
        <legend>Drafts</legend>
        <CheckboxField
          label="Write post drafts from the results"
          name="writeDrafts"
          checked={values.writeDrafts}
          onChange={(e) => set('writeDrafts', e.target.checked)}
          hint="When the search completes, drafts are written for you to review."
        />
        {values.writeDrafts ? (
          <div className="row">
            <SelectField label="How many" name="count" value={values.count} onChange={(e) => set('count', Number(e.target.value))} error={errors.generate}>
              {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </SelectField>
            <SelectField label="Tone" name="tone" value={values.tone} onChange={(e) => set('tone', e.target.value as Tone)}>
              {tones.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
            <SelectField label="For" name="channel" value={values.channel} onChange={(e) => set('channel', e.target.value as ChannelKind)}>
              {channelKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind === 'timeline' ? 'Trendcast timeline' : 'Mastodon'}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
      </fieldset>
    </>
  );
}
