import type { Role } from './access-token-claims.js';

/** What a route demands of its caller: a valid access token, and maybe one of some roles. */
export interface RouteAccess {
  authenticated: boolean;
  /** Roles of which the caller must hold one; empty when any signed-in caller will do. */
  roles: Role[];
}

/** The hooks that check access tokens (app.authenticate, requireRole(...)), with the roles each demands. */
const accessChecks = new WeakMap<object, { roles: readonly Role[] }>();

export function markAccessCheck<T extends object>(hook: T, demand: { roles: readonly Role[] }): T {
  accessChecks.set(hook, demand);
  return hook;
}

/** The hooks that run before a route's handler: authentication and role checks are among them. */
const guardingHooks = ['onRequest', 'preHandler'] as const;

/**
 * What the hooks a route runs demand: authenticated when any of them checks the token; the roles
 * are what every role check lets through (each one must pass).
 */
export function accessDemandedBy(hooks: readonly unknown[]): RouteAccess {
  let authenticated = false;
  let roles: Role[] | undefined;
  for (const hook of hooks) {
    const demand = typeof hook === 'function' ? accessChecks.get(hook) : undefined;
    if (!demand) continue;
    authenticated = true;
    if (demand.roles.length > 0) roles = roles ? roles.filter((role) => demand.roles.includes(role)) : [...demand.roles];
  }
  return { authenticated, roles: roles ?? [] };
}

/** A route's own hooks (`{ preHandler: app.authenticate }`), as given in its options. */
export function routeLevelGuards(route: Partial<Record<(typeof guardingHooks)[number], unknown>>): unknown[] {
  return guardingHooks.flatMap((name) => {
    const value = route[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  });
}

/**
 * The guarding hooks an encapsulation context gives every route registered in it
 * (`app.addHook('preHandler', app.authenticate)` in the route's plugin or a parent), read once the
 * app is ready, when they are final. fastify has no public way to list them, so this reads its hook
 * store, found by its symbol's description; if fastify ever changes that, this throws (and the kit's
 * OpenAPI tests fail) rather than document an authenticated route as open.
 */
export function contextGuards(instance: object): unknown[] {
  for (let holder: object | null = instance; holder; holder = Object.getPrototypeOf(holder) as object | null) {
    const key = Object.getOwnPropertySymbols(holder).find((symbol) => symbol.description === 'fastify.hooks');
    if (!key) continue;
    const store = (holder as Record<symbol, Partial<Record<string, unknown>>>)[key];
    const lists = guardingHooks.map((name) => store?.[name]);
    if (lists.every(Array.isArray)) return (lists as unknown[][]).flat();
    break;
  }
  throw new Error("cannot read fastify's hooks to tell which routes need an access token (has fastify changed?)");
}
