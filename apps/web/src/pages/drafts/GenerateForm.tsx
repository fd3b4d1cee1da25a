import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage } from '../../components/feedback.js';
import { SelectField, TextAreaField } from '../../components/Field.js';
import { channelKinds, thinkerApi, tones, type ChannelKind, type Tone } from '../../lib/api/thinker.js';
import { useAction } from '../../lib/use-action.js';

/** Asks the thinker for drafts, about a topic typed here or about a search's results. */
export function GenerateForm({ trendSearchId, submitLabel = 'Write drafts' }: { trendSearchId?: string; submitLabel?: string }) {
  const navigate = useNavigate();
  const [topic, setTopic] = useState('');
  const [count, setCount] = useState(3);
  const [tone, setTone] = useState<Tone>('neutral');
  const [channel, setChannel] = useState<ChannelKind>('timeline');
  const [topicMissing, setTopicMissing] = useState(false);
  const generate = useAction(async () => {
    const started = await thinkerApi.generate({ ...(trendSearchId ? { trendSearchId } : { topic: topic.trim() }), count, tone, channel });
    navigate(`/generations/${started.id}`);
  });

  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        const missing = !trendSearchId && topic.trim() === '';
        setTopicMissing(missing);
        if (!missing) void generate.run();
      }}
    >
      {trendSearchId ? null : (
        <TextAreaField
          label="Topic"
          name="topic"
          rows={2}
          maxLength={500}
          required
          hint="What the posts should be about."
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          error={topicMissing ? 'Enter a topic.' : generate.fieldErrors.topic}
        />
      )}
      <div className="row">
        <SelectField label="How many" name="count" value={count} onChange={(e) => setCount(Number(e.target.value))} error={generate.fieldErrors.count}>
          {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </SelectField>
        <SelectField label="Tone" name="tone" value={tone} onChange={(e) => setTone(e.target.value as Tone)} error={generate.fieldErrors.tone}>
          {tones.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="For" name="channel" value={channel} onChange={(e) => setChannel(e.target.value as ChannelKind)} error={generate.fieldErrors.channel}>
          {channelKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind === 'timeline' ? 'Trendcast timeline' : 'Mastodon'}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorMessage error={generate.error?.code === 'VALIDATION_FAILED' ? undefined : generate.error} prefix="Could not ask for drafts" />
      <Button type="submit" busy={generate.busy} busyLabel="Asking…">
        {submitLabel}
      </Button>
    </form>
  );
}
