// Writes the API page served at /api/docs: swagger-ui's files (from the swagger-ui-dist package),
// our index.html and initializer (gateway/api-docs), and swagger-config.json listing the OpenAPI
// document of every public service, as the gateway exposes it.
//
//   node scripts/render-api-docs.mjs --out DIR [--services users,trends,thinker,tweeter]
//
// scripts/render-gateway.mjs calls writeApiDocs for local runs and the compose image.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the page loads from swagger-ui-dist (the ES bundles and source maps are not needed). */
const swaggerUiFiles = ['swagger-ui.css', 'index.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png'];
const ownFiles = ['index.html', 'swagger-initializer.js'];

/** swagger-ui's settings: one entry per service; nothing is sent anywhere but the gateway. */
export function swaggerConfig(services) {
  return {
    urls: services.map((name) => ({ url: `/api/${name}/openapi.json`, name })),
    'urls.primaryName': services[0],
    deepLinking: true,
    displayRequestDuration: true,
    // Tokens stay in the page's memory: a reload forgets them, like the web app's access token.
    persistAuthorization: false,
    // The default would send every document to validator.swagger.io.
    validatorUrl: null,
  };
}

export function writeApiDocs(outDir, services) {
  const swaggerUiDist = dirname(createRequire(join(repoRoot, 'package.json')).resolve('swagger-ui-dist/package.json'));
  mkdirSync(outDir, { recursive: true });
  for (const file of swaggerUiFiles) copyFileSync(join(swaggerUiDist, file), join(outDir, file));
  for (const file of ownFiles) copyFileSync(join(repoRoot, 'gateway/api-docs', file), join(outDir, file));
  writeFileSync(join(outDir, 'swagger-config.json'), `${JSON.stringify(swaggerConfig(services), null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, services: { type: 'string', default: 'users,trends,thinker,tweeter' } } });
  if (!values.out) {
    console.error('render-api-docs: --out DIR is required');
    process.exit(1);
  }
  writeApiDocs(resolve(values.out), values.services.split(',').map((name) => name.trim()).filter(Boolean));
  console.error(`render-api-docs: API page -> ${values.out}`);
}
