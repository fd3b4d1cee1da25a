import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Empty, ErrorMessage, LoadState, Notice } from '../../components/feedback.js';
import { SelectField, TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { timeframeLabel, trendsApi, type Watch } from '../../lib/api/trends.js';
import { formatDateTime, regionName } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { useResource } from '../../lib/use-resource.js';
import { checkSearchValues, initialSearchValues, SearchFields, toSearchRequest } from '../searches/SearchFields.js';

const schedules = [
  ['1h', 'Every hour'],
  ['6h', 'Every 6 hours'],
  ['1d', 'Every day'],
  ['0 9 * * 1-5', 'Weekdays at 9:00'],
  ['0 9 * * 1', 'Mondays at 9:00'],
  ['custom', 'Something else…'],
] as const;

const everyText = (every: string) => schedules.find(([value]) => value === every)?.[1] ?? every;
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function NewWatchForm({ onCreated }: { onCreated: (watch: Watch) => void }) {
  const [values, setValues] = useState({ ...initialSearchValues, timeframe: 'past-7-days' as const });
  const [schedule, setSchedule] = useState<string>('1d');
  const [custom, setCustom] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const create = useAction(async () => {
    const watch = await trendsApi.createWatch({ ...toSearchRequest(values), every: schedule === 'custom' ? custom.trim() : schedule, timezone });
    onCreated(watch);
    setValues({ ...initialSearchValues, timeframe: 'past-7-days' });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSearchValues(values);
    if (schedule === 'custom' && !custom.trim()) found.every = 'Enter an interval like 12h or a cron pattern like 0 8 * * *.';
    setProblems(found);
    if (Object.keys(found).length === 0) void create.run();
  };
  const errors = { ...create.fieldErrors, ...problems };

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="new-watch">
      <h2 id="new-watch">New watch</h2>
      <SearchFields values={values} onChange={(next) => setValues(next as typeof values)} errors={errors} />
      <div className="row">
        <SelectField label="How often" name="schedule" value={schedule} onChange={(e) => setSchedule(e.target.value)} error={schedule === 'custom' ? undefined : errors.every}>
          {schedules.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="Time zone" name="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} error={errors.timezone} hint="For schedules at a time of day." />
      </div>
      {schedule === 'custom' ? (
        <TextField
          label="Schedule"
          name="every"
          hint="An interval (90m, 12h, 2d) or a cron pattern (0 8 * * 1-5)."
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          error={errors.every}
        />
      ) : null}
      <ErrorMessage error={create.error?.code === 'VALIDATION_FAILED' ? undefined : create.error} prefix="Could not create the watch" />
      <Button type="submit" busy={create.busy} busyLabel="Creating…">
        Create watch
      </Button>
    </form>
  );
}

function WatchItem({ watch, onChanged, onDeleted }: { watch: Watch; onChanged: (watch: Watch) => void; onDeleted: () => void }) {
  const toggle = useAction(async () => onChanged(watch.status === 'active' ? await trendsApi.pauseWatch(watch.id) : await trendsApi.resumeWatch(watch.id)));
  const remove = useAction(async () => {
    await trendsApi.deleteWatch(watch.id);
    onDeleted();
  });
  return (
    <li className="card">
      <div className="card-head">
        <span className="card-title">{watch.keywords.join(', ')}</span>
        <StatusBadge status={watch.status} />
      </div>
      <p className="meta">
        {everyText(watch.every)} ({watch.timezone}) · {regionName(watch.geo)} · {timeframeLabel(watch.timeframe)}
        {watch.generate ? ` · writes ${watch.generate.count} draft${watch.generate.count === 1 ? '' : 's'}` : ''}
      </p>
      <p className="meta">
        {watch.status === 'active' ? `Next run ${formatDateTime(watch.nextRunAt)}` : 'Paused'}
        {watch.lastRunAt ? ` · last run ${formatDateTime(watch.lastRunAt)}` : ' · not run yet'}
        {watch.lastSearchId ? (
          <>
            {' · '}
            <Link to={`/searches/${watch.lastSearchId}`}>latest results</Link>
          </>
        ) : null}
      </p>
      <div className="actions">
        <Button variant="secondary" busy={toggle.busy} busyLabel={watch.status === 'active' ? 'Pausing…' : 'Resuming…'} onClick={() => void toggle.run()}>
          {watch.status === 'active' ? 'Pause' : 'Resume'}
        </Button>
        <ConfirmButton label="Delete" confirmLabel="Delete the watch" question="Delete this watch? Its past searches stay." busy={remove.busy} onConfirm={() => void remove.run()} />
      </div>
      <ErrorMessage error={toggle.error} prefix={watch.status === 'active' ? 'Could not pause' : 'Could not resume'} />
      <ErrorMessage error={remove.error} prefix="Could not delete" />
    </li>
  );
}

export default function WatchesPage() {
  const watches = useResource((signal) => trendsApi.watches({ signal }), []);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const replace = (next: Watch) =>
    watches.setData((page) => ({ items: (page?.items ?? []).map((w) => (w.id === next.id ? next : w)), nextCursor: page?.nextCursor ?? null }));

  return (
    <section>
      <PageTitle>Watches</PageTitle>
      <p>A watch repeats a search on a schedule, and can have drafts written from every result.</p>
      {created ? <Notice>Watch created for {created}.</Notice> : null}
      <LoadState resource={watches} what="your watches">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              <p>No watches yet. Create one below.</p>
            </Empty>
          ) : (
            <ul className="cards">
              {page.items.map((watch) => (
                <WatchItem
                  key={watch.id}
                  watch={watch}
                  onChanged={replace}
                  onDeleted={() => watches.setData((current) => ({ items: (current?.items ?? []).filter((w) => w.id !== watch.id), nextCursor: current?.nextCursor ?? null }))}
                />
              ))}
            </ul>
          )
        }
      </LoadState>
      <NewWatchForm
        onCreated={(watch) => {
          setCreated(watch.keywords.join(', '));
          watches.setData((page) => ({ items: [watch, ...(page?.items ?? [])], nextCursor: page?.nextCursor ?? null }));
        }}
      />
    </section>
  );
}
