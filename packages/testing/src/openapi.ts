import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';

/**
 * Checks a service's OpenAPI document as the API page and its clients rely on it: valid OpenAPI 3
 * (the official schema plus swagger-parser's checks, e.g. every path parameter declared), every
 * request sent through the gateway's `/api`, every path under `/<service>/`, nothing internal
 * (health probes, metrics) described, and the bearer scheme defined. Throws naming each problem;
 * returns the document for further checks.
 */
export async function checkOpenApiDocument(document: unknown, service: string): Promise<OpenAPIV3.Document> {
  // swagger-parser dereferences what it validates in place: the caller's copy stays as served.
  await SwaggerParser.validate(structuredClone(document) as OpenAPIV3.Document);
  const doc = document as OpenAPIV3.Document;
  const problems: string[] = [];
  if (!doc.openapi?.startsWith('3.')) problems.push(`openapi is "${doc.openapi}", not 3.x`);
  if (doc.servers?.[0]?.url !== '/api') problems.push(`servers[0].url is ${JSON.stringify(doc.servers?.[0]?.url)}, not "/api" (the gateway)`);
  const paths = Object.keys(doc.paths ?? {});
  if (paths.length === 0) problems.push('no paths');
  for (const path of paths) {
    if (!path.startsWith(`/${service}/`)) problems.push(`path ${path} is not under /${service}/, so the gateway does not route it`);
    if (/\/(healthz|readyz|metrics)$/.test(path)) problems.push(`path ${path} is internal`);
  }
  const bearer = doc.components?.securitySchemes?.bearerAuth as OpenAPIV3.HttpSecurityScheme | undefined;
  if (bearer?.type !== 'http' || bearer.scheme !== 'bearer') problems.push('components.securitySchemes.bearerAuth is not an HTTP bearer scheme');
  if (problems.length > 0) throw new Error(`the ${service} OpenAPI document:\n- ${problems.join('\n- ')}`);
  return doc;
}

/** Every operation of a document, with its path and method. */
export function operationsOf(doc: OpenAPIV3.Document): Array<{ path: string; method: string; operation: OpenAPIV3.OperationObject }> {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => (item?.[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/**
 * A value that a simple JSON schema of ours accepts (objects with all their properties,
 * enums, strings of their minimal length, email and uuid formats), so a test can get a request
 * past validation to what runs after it.
 */
export function sampleOf(schema: Schema | undefined, doc: OpenAPIV3.Document): unknown {
  if (!schema) return undefined;
  if ('$ref' in schema) return sampleOf(doc.components?.schemas?.[schema.$ref.split('/').pop()!], doc);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (alternative) return sampleOf(alternative, doc);
  switch (schema.type) {
    case 'object':
      // Every property, optional ones too: a schema may demand "at least one of" them.
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, sampleOf(property, doc)]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items, doc));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'email') return 'sample@example.org';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 8));
    default:
      return undefined;
  }
}

/** A body an operation's request schema accepts (see sampleOf), or undefined when it takes none. */
export function sampleBodyOf(operation: OpenAPIV3.OperationObject, doc: OpenAPIV3.Document): unknown {
  const body = operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  return sampleOf(body?.content['application/json']?.schema, doc);
}
