/** Where the console lives: Bull Board's base path, behind the gateway and on the monitor alike. */
export const consolePath = '/admin/queues';

export const paths = {
  board: consolePath,
  signIn: `${consolePath}/sign-in`,
  signOut: `${consolePath}/sign-out`,
  session: `${consolePath}/session`,
  deadLetters: `${consolePath}/dead-letters`,
  deadLetterQueue: (queue: string) => `${consolePath}/dead-letters/${encodeURIComponent(queue)}`,
  replay: (queue: string) => `${consolePath}/dead-letters/${encodeURIComponent(queue)}/replay`,
  outbox: `${consolePath}/outbox`,
  outboxReplay: (service: string) => `${consolePath}/outbox/${encodeURIComponent(service)}/replay`,
  asset: (file: string) => `${consolePath}/assets/${file}`,
} as const;

/** A page of the console to return to after signing in; anything else (another site, a trick path) means the board. */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/admin\/queues(?:[/?#]|$)/.test(next) || /[\\\s]|\/\/|%2f|%5c/i.test(next.slice(1))) return paths.board;
  return next;
}
