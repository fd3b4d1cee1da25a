import { html } from './html.js';
import { layout } from './layout.js';
import { paths } from './paths.js';

export type SignInNotice = 'signed-out' | 'expired';

const notices: Record<SignInNotice, string> = {
  'signed-out': 'You are signed out.',
  expired: 'Your session has ended. Sign in again to go on.',
};

/**
 * The sign-in form. Its script (assets/sign-in.js) signs in through the users service's public
 * login, hands the access token to the monitor for a session cookie, and goes on to `next`.
 */
export function signInPage(o: { next: string; notice?: SignInNotice | undefined }): string {
  return layout({
    title: 'Sign in',
    signedIn: false,
    script: 'sign-in.js',
    body: html`<h1>Sign in</h1>
      <p>The operators’ console shows every job queue and every parked event of Trendcast. It is for administrators; sign in with your Trendcast account.</p>
      ${o.notice ? html`<p class="notice">${notices[o.notice]}</p>` : ''}
      <noscript><p class="problem">Signing in needs JavaScript.</p></noscript>
      <form id="sign-in" class="stack" method="post" action="${paths.signIn}" data-next="${o.next}" novalidate>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxlength="254">
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128">
        </div>
        <p id="sign-in-status" class="problem" role="alert"></p>
        <button type="submit">Sign in</button>
      </form>`,
  });
}

/** Reached from Bull Board's menu (a link): signing out itself is a POST from this page's button. */
export function signOutPage(): string {
  return layout({
    title: 'Sign out',
    signedIn: true,
    body: html`<h1>Sign out</h1>
      <p>Sign out of the operators’ console on this browser?</p>
      <form method="post" action="${paths.signOut}"><button type="submit">Sign out</button></form>`,
  });
}

/** What a browser without JavaScript gets when it sends the sign-in form to the monitor itself. */
export function scriptNeededPage(): string {
  return layout({
    title: 'Sign in',
    signedIn: false,
    body: html`<h1>Sign in</h1>
      <p class="problem">Signing in needs JavaScript: the form signs in with the users service and was not sent anywhere.</p>
      <p><a href="${paths.signIn}">Back to the sign-in form</a></p>`,
  });
}
