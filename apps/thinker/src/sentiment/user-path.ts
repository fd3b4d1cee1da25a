import { resolve } from 'node:path';

/**
 * A path typed by the person running the command: relative to where they ran it. `npm run -w`
 * runs scripts inside the workspace, and says where it was started in INIT_CWD.
 */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.INIT_CWD ?? process.cwd(), path);
}
