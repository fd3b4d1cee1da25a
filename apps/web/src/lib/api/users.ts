import { z } from 'zod';
import { apiRequest } from './http.js';

export const notificationKinds = ['searchFailed', 'draftsReady', 'postPublished', 'postFailed', 'generationFailed'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  emailVerified: z.boolean(),
  notificationPreferences: z.object({
    searchFailed: z.boolean(),
    draftsReady: z.boolean(),
    postPublished: z.boolean(),
    postFailed: z.boolean(),
    generationFailed: z.boolean(),
  }),
  createdAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

export const browserSessionSchema = z.object({ accessToken: z.string().min(1), expiresIn: z.number().positive(), user: accountSchema });
export type BrowserSessionAnswer = z.infer<typeof browserSessionSchema>;

/** The header the users service asks of browser-session calls (it cannot be sent cross-site without our consent). */
export const webClientHeader = { 'x-trendcast-client': 'web' } as const;

export const usersApi = {
  register: (input: { email: string; password: string; displayName: string }) =>
    apiRequest('/users/register', accountSchema, { method: 'POST', body: input, auth: false }),
  verifyEmail: (token: string) => apiRequest('/users/verify-email', null, { method: 'POST', body: { token }, auth: false }),
  resendVerification: (email: string) => apiRequest('/users/verify-email/resend', null, { method: 'POST', body: { email }, auth: false }),
  forgotPassword: (email: string) => apiRequest('/users/password/forgot', null, { method: 'POST', body: { email }, auth: false }),
  resetPassword: (token: string, newPassword: string) =>
    apiRequest('/users/password/reset', null, { method: 'POST', body: { token, newPassword }, auth: false }),
  changePassword: (currentPassword: string, newPassword: string) =>
    apiRequest('/users/password/change', null, { method: 'POST', body: { currentPassword, newPassword } }),
  me: (signal?: AbortSignal) => apiRequest('/users/me', accountSchema, signal ? { signal } : {}),
  updateMe: (changes: { displayName?: string; notificationPreferences?: Partial<Account['notificationPreferences']> }) =>
    apiRequest('/users/me', accountSchema, { method: 'PATCH', body: changes }),
  deleteMe: (password: string) => apiRequest('/users/me', null, { method: 'DELETE', body: { password } }),

  openBrowserSession: (email: string, password: string) =>
    apiRequest('/users/sessions/browser', browserSessionSchema, { method: 'POST', body: { email, password }, auth: false, headers: webClientHeader }),
  refreshBrowserSession: () =>
    apiRequest('/users/sessions/browser/refresh', browserSessionSchema, { method: 'POST', auth: false, headers: webClientHeader }),
  endBrowserSession: () => apiRequest('/users/sessions/browser', null, { method: 'DELETE', auth: false, headers: webClientHeader }),
};
