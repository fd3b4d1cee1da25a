import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../../src/app/routes.js';
import { session } from '../../src/lib/session/session-store.js';

/** The whole app at `path`, routes and guards included, as a person opening that link would get it. */
export function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

/** Signs the shared session in through the (faked) API, as the sign-in form would. */
export async function signedIn() {
  await session.signIn('ada@example.org', 'correct horse battery staple');
}

export function signedOut() {
  session.forget();
}
