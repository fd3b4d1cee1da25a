/* global document, window */
// The console's sign-in: the users service checks the password (its public login, through the
// gateway), the monitor checks the access token it issued and opens a session of its own (an
// httpOnly cookie). The login's refresh token is revoked at once: the console needs none.
const form = document.getElementById('sign-in');
const status = document.getElementById('sign-in-status');

const loginProblems = {
  INVALID_CREDENTIALS: 'Wrong email or password.',
  EMAIL_NOT_VERIFIED: 'Confirm your email address first (see the mail we sent you).',
  VALIDATION_FAILED: 'Enter your email address and your password.',
};

async function errorOf(response) {
  try {
    const body = await response.json();
    return { code: body.code, message: body.error };
  } catch {
    return { code: undefined, message: undefined };
  }
}

function retryAfter(response) {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds)} s.` : ' Try again later.';
}

function say(message) {
  status.textContent = message;
}

async function signIn(email, password) {
  const login = await fetch('/api/users/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status === 429) return say(`Too many sign-in attempts.${retryAfter(login)}`);
  if (!login.ok) {
    const { code } = await errorOf(login);
    return say(loginProblems[code] ?? 'Signing in failed. Try again in a moment.');
  }
  const { accessToken, refreshToken } = await login.json();
  const session = await fetch('/admin/queues/session', {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    credentials: 'same-origin',
  });
  // The console keeps its own session; the account session the login opened is ended either way.
  await fetch('/api/users/logout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  }).catch(() => undefined);
  if (session.status === 403) return say('This account is not an administrator. The operators’ console is for administrators only.');
  if (!session.ok) return say('The console could not open a session. Try again in a moment.');
  window.location.assign(form.dataset.next || '/admin/queues');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;
  if (!email || !password) {
    say('Enter your email address and your password.');
    (email ? form.elements.password : form.elements.email).focus();
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  say('');
  signIn(email, password)
    .catch(() => say('The sign-in service could not be reached. Try again in a moment.'))
    .finally(() => {
      button.disabled = false;
    });
});
