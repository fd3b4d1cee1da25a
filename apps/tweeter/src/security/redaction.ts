/**
 * Paths (pino `redact` syntax) under which tweeter's log lines could carry credentials: a channel's
 * credentials object, OAuth secrets, authorization codes and PKCE verifiers, sealed values, and the Authorization header of an
 * outbound request. Passed to createLogger({ redact }) on top of service-kit's own list (password,
 * token, accessToken, refreshToken, secret, authorization, cookie at any of three depths).
 */
const sensitiveKeys = [
  'credentials',
  'accessToken',
  'access_token',
  'clientSecret',
  'client_secret',
  'codeVerifier',
  'code_verifier',
  'authorizationCode',
  'sealedCredentials',
  'browserBinding',
  'authorization',
];

export const tweeterRedactPaths: string[] = [
  ...sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers.authorization',
  '*.headers.authorization',
  'request.headers.authorization',
];
