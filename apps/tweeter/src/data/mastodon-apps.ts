import { and, eq } from 'drizzle-orm';
import type { TweeterExecutor } from '../db/client.js';
import { mastodonApps, type MastodonAppRow } from '../db/schema.js';

export async function findMastodonApp(db: TweeterExecutor, o: { instanceUrl: string; redirectUri: string }): Promise<MastodonAppRow | undefined> {
  const [row] = await db
    .select()
    .from(mastodonApps)
    .where(and(eq(mastodonApps.instanceUrl, o.instanceUrl), eq(mastodonApps.redirectUri, o.redirectUri)));
  return row;
}

/** Keeps the registration (replacing an older one for the same instance and callback). */
export async function saveMastodonApp(db: TweeterExecutor, app: typeof mastodonApps.$inferInsert): Promise<void> {
  await db
    .insert(mastodonApps)
    .values(app)
    .onConflictDoUpdate({
      target: [mastodonApps.instanceUrl, mastodonApps.redirectUri],
      set: { clientId: app.clientId, sealedClientSecret: app.sealedClientSecret, credentialsKeyId: app.credentialsKeyId, scopes: app.scopes },
    });
}
