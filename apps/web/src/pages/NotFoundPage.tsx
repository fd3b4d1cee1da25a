import { Link } from 'react-router';
import { PageTitle } from '../components/PageTitle.js';

export default function NotFoundPage() {
  return (
    <section className="narrow">
      <PageTitle>Page not found</PageTitle>
      <p>There is no page at this address. It may have moved, or the link may be incomplete.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}
