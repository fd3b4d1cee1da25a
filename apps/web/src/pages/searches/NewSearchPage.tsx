import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { trendsApi } from '../../lib/api/trends.js';
import { useAction } from '../../lib/use-action.js';
import { checkSearchValues, initialSearchValues, SearchFields, toSearchRequest } from './SearchFields.js';

/** Also where the welcome email sends a new person: "Start your first search". */
export default function NewSearchPage() {
  const navigate = useNavigate();
  const [values, setValues] = useState(initialSearchValues);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const start = useAction(async () => {
    const started = await trendsApi.startSearch(toSearchRequest(values));
    navigate(`/searches/${started.id}`);
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSearchValues(values);
    setProblems(found);
    if (Object.keys(found).length === 0) void start.run();
  };

  const errors = { ...start.fieldErrors, ...problems };
  return (
    <section className="narrow">
      <PageTitle>New search</PageTitle>
      <p>Ask Google Trends how interest in a few keywords moved. The results appear as soon as Google answers.</p>
      <form className="stack" onSubmit={onSubmit}>
        <SearchFields values={values} onChange={setValues} errors={errors} />
        <ErrorMessage error={start.error} prefix="Could not start the search" />
        <Button type="submit" busy={start.busy} busyLabel="Starting…">
          Search
        </Button>
      </form>
      <p>
        To repeat a search on a schedule, <Link to="/watches">set up a watch</Link>.
      </p>
    </section>
  );
}
