/**
 * Prints a new Ed25519 signing key for rotation.
 *   npm run keys:generate -w @trendcast/users              -> the private JWK, for JWT_SIGNING_KEYS
 *   npm run keys:generate -w @trendcast/users -- <dir>     -> writes <dir>/<kid>.pem, for JWT_KEYS_DIR
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSigningKey } from './signing-keys.js';

const [dir, kid] = process.argv.slice(2);
const generated = generateSigningKey(kid);
if (dir) {
  const file = join(resolve(dir), `${generated.key.kid}.pem`);
  writeFileSync(file, generated.pem, { mode: 0o600, flag: 'wx' });
  console.log(`wrote ${file} (kid ${generated.key.kid})`);
} else {
  console.log(JSON.stringify(generated.jwk));
}
