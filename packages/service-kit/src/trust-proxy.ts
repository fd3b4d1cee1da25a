import { isIP } from 'node:net';
import { z } from 'zod';

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: whose X-Forwarded-For a service believes. `false` (nobody: the peer address is the
 * client's) or a comma-separated list of the gateway's addresses or subnets. `true` (believe
 * anyone) is refused: wherever a service can be reached without the gateway, a client could then
 * choose the address it is throttled and logged under.
 */
export function trustProxyVar(defaultValue: string | false = false) {
  return z
    .string()
    .trim()
    .default(defaultValue === false ? 'false' : defaultValue)
    .transform((value, ctx): string[] | false => {
      if (/^false$/i.test(value)) return false;
      if (/^true$/i.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'name the gateway\'s addresses or subnet (e.g. 172.30.80.10 or 10.0.0.0/24) instead of true' });
        return z.NEVER;
      }
      const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
      const bad = entries.find((entry) => !isAddressOrCidr(entry));
      if (entries.length === 0 || bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `must be false or comma-separated IP addresses/CIDRs${bad ? ` ("${bad}" is neither)` : ''}` });
        return z.NEVER;
      }
      return entries;
    });
}
