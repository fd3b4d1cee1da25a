/**
 * What every service's OpenAPI document says beyond its routes' zod schemas: how to send the
 * access token, and the one error body every failure answers with (see error-handler.ts).
 */

export const bearerSchemeName = 'bearerAuth';

export const bearerScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'An access token from POST /users/login (`accessToken`), sent as `Authorization: Bearer <token>`.',
} as const;

export const errorSchemaName = 'Error';

/** ErrorBody (errors.ts) as JSON Schema. */
export const errorSchema = {
  type: 'object',
  required: ['error', 'code'],
  properties: {
    error: { type: 'string', description: 'What went wrong, for people' },
    code: { type: 'string', description: 'What went wrong, for programs (e.g. VALIDATION_FAILED, UNAUTHENTICATED, NOT_FOUND)' },
    details: { description: 'More about it, when there is more: for VALIDATION_FAILED, `[{ path, message }]`' },
  },
} as const;

/** The `x-` extension naming the roles an operation demands (the route's requireRole). */
export const requiredRolesExtension = 'x-required-roles';

interface Operation {
  parameters?: unknown[];
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, unknown>;
  [requiredRolesExtension]?: string[];
}

interface Document {
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  paths?: Record<string, Record<string, Operation>>;
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchemaName}` } } },
});

/**
 * Adds the shared parts to a generated document: the Error schema, and on each operation the
 * errors the kit answers for it (400 when it validates input, 401 when it needs a token, 403 when
 * it needs a role, and any other error in the same shape). Responses a route declares itself win.
 */
export function addSharedParts<T extends object>(document: T): T {
  const doc = document as Document;
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, [errorSchemaName]: errorSchema },
    securitySchemes: { ...doc.components?.securitySchemes, [bearerSchemeName]: bearerScheme },
  };
  for (const pathItem of Object.values(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!methods.has(method)) continue;
      const errors: Record<string, unknown> = {};
      if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) {
        errors['400'] = errorResponse('The request does not match this schema (`VALIDATION_FAILED`, `details` say where) or is not JSON');
      }
      if (operation.security?.length) {
        errors['401'] = errorResponse('No access token, or one that is expired or invalid (`UNAUTHENTICATED`)');
      }
      const roles = operation[requiredRolesExtension];
      if (roles?.length) errors['403'] = errorResponse(`The caller's role is not ${roles.join(' or ')} (\`FORBIDDEN\`)`);
      errors.default = errorResponse('Any other error, in the same shape');
      operation.responses = { ...errors, ...operation.responses };
      // A 204 has no body, whatever schema stood for it (see noContent).
      const noBody = operation.responses['204'] as { content?: unknown } | undefined;
      if (noBody) delete noBody.content;
    }
  }
  return document;
}
