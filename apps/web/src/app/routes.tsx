import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Loading } from '../components/feedback.js';
import { useSession } from '../lib/session/use-session.js';
import { Layout } from './Layout.js';
import { GuestOnly, RequireSession } from './guards.js';

/** Every page is its own chunk: the sign-in page's first load stays small and the chart loads with search results only. */
function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<Loading label="Loading the page…" />}>
      <Page />
    </Suspense>
  );
}

function Home() {
  const state = useSession();
  if (state.status === 'restoring') return <Loading label="Checking your session…" />;
  return <Navigate to={state.status === 'signed-in' ? '/searches' : '/sign-in'} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route element={<GuestOnly />}>
          <Route path="sign-in" element={page(() => import('../pages/auth/SignInPage.js'))} />
          <Route path="sign-up" element={page(() => import('../pages/auth/SignUpPage.js'))} />
          <Route path="forgot-password" element={page(() => import('../pages/auth/ForgotPasswordPage.js'))} />
        </Route>
        <Route path="verify-email" element={page(() => import('../pages/auth/VerifyEmailPage.js'))} />
        <Route path="reset-password" element={page(() => import('../pages/auth/ResetPasswordPage.js'))} />
        <Route path="timeline" element={page(() => import('../pages/timeline/TimelinePage.js'))} />
        <Route path="timeline/:handle" element={page(() => import('../pages/timeline/TimelinePage.js'))} />
        <Route element={<RequireSession />}>
          <Route path="searches" element={page(() => import('../pages/searches/SearchesPage.js'))} />
          <Route path="searches/new" element={page(() => import('../pages/searches/NewSearchPage.js'))} />
          <Route path="searches/:id" element={page(() => import('../pages/searches/SearchPage.js'))} />
          <Route path="watches" element={page(() => import('../pages/watches/WatchesPage.js'))} />
          <Route path="drafts" element={page(() => import('../pages/drafts/DraftsPage.js'))} />
          <Route path="generations/:id" element={page(() => import('../pages/drafts/GenerationPage.js'))} />
          <Route path="channels" element={page(() => import('../pages/channels/ChannelsPage.js'))} />
          <Route path="posts" element={page(() => import('../pages/posts/PostsPage.js'))} />
          <Route path="posts/:id" element={page(() => import('../pages/posts/PostPage.js'))} />
          <Route path="settings" element={page(() => import('../pages/settings/SettingsPage.js'))} />
          <Route path="settings/notifications" element={page(() => import('../pages/settings/NotificationSettingsPage.js'))} />
        </Route>
        <Route path="*" element={page(() => import('../pages/NotFoundPage.js'))} />
      </Route>
    </Routes>
  );
}
