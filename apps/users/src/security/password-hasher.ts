import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the enum is declared `const` and cannot be read under isolatedModules. */
const argon2id = 2 as Algorithm;

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 iterations, 1 lane. */
export const owaspArgon2idCost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as a real verification and always fails: used when the account does
   * not exist, so that a response's timing does not tell whether an email is registered.
   */
  verifyAgainstDummy(password: string): Promise<false>;
  /** True when the hash was made with other parameters than today's, so it should be redone. */
  needsRehash(passwordHash: string): boolean;
}

export function createPasswordHasher(cost: typeof owaspArgon2idCost = owaspArgon2idCost): PasswordHasher {
  const options: Options = { algorithm: argon2id, ...cost };
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hash(randomBytes(32), options));

  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash must read as a failed sign-in, never as an error page.
        return false;
      }
    },
    async verifyAgainstDummy(password) {
      await verify(await dummy(), password).catch(() => false);
      return false;
    },
    needsRehash(passwordHash) {
      try {
        const parsed = parseOptions(passwordHash);
        return (
          parsed.algorithm !== argon2id ||
          parsed.memoryCost !== cost.memoryCost ||
          parsed.timeCost !== cost.timeCost ||
          parsed.parallelism !== cost.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}
