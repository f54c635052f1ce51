import { applyDecorators } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiResponse, DocumentBuilder, SwaggerModule, type OpenAPIObject, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { UPLOAD_FIELD, type ErrorCode } from '@dlserve/shared';
import { ERROR_STATUS } from '../../platform/errors/app-error.js';
import { DLSERVE_VERSION } from '../../platform/version.js';

/**
 * The OpenAPI document at `/api/docs` (UI) and `/api/docs/openapi.json`. Its schemas are the
 * contract's own types (`@dlserve/shared`, turned into JSON Schema when it is built); the
 * controllers name them with the decorators below, so the docs cannot drift from what they return.
 */
export const DOCS_PATH = 'api/docs';

const require = createRequire(import.meta.url);
const CONTRACT = require('@dlserve/shared/openapi-schemas.json') as Record<string, SchemaObject>;

/** A reference to a type of the contract; an unknown name fails when the controller is loaded. */
export function contract(name: string): ReferenceObject {
  if (!(name in CONTRACT)) throw new Error(`@dlserve/shared has no type '${name}'`);
  return { $ref: `#/components/schemas/${name}` };
}

function resolve(reference: ReferenceObject): SchemaObject {
  return CONTRACT[reference.$ref.slice('#/components/schemas/'.length)]!;
}

/** What terminus answers on its probes (`@nestjs/terminus`'s HealthCheckResult). */
export const PROBE_RESULT: SchemaObject = {
  type: 'object',
  required: ['status', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: { type: 'object', additionalProperties: { type: 'object' }, description: 'The indicators that are up.' },
    error: { type: 'object', additionalProperties: { type: 'object' }, description: 'The indicators that are down.' },
    details: { type: 'object', additionalProperties: { type: 'object' }, description: 'Every indicator, with its figures (uptime, models by state).' },
  },
};

/** What any route behind the API key and the rate limit may answer besides its own errors. */
export const ACCESS_ERRORS: readonly ErrorCode[] = ['unauthorized', 'rate_limited'];

/** What an upload may be refused with before its endpoint's own work starts. */
export const UPLOAD_ERRORS: readonly ErrorCode[] = [
  ...ACCESS_ERRORS,
  'no_file',
  'unexpected_field',
  'invalid_option',
  'empty_file',
  'file_too_large',
  'too_many_files',
  'request_too_large',
  'not_an_image',
  'corrupt_image',
  'image_too_large',
  'unsupported_image',
];

/**
 * A multipart upload: one or many files in `the_file`, and, as text fields (or query
 * parameters), the properties of the contract types `options` names.
 */
export function ApiUpload(...options: string[]): MethodDecorator {
  const fields = Object.assign({}, ...options.map((name) => resolve(contract(name)).properties));
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: [UPLOAD_FIELD],
        properties: {
          [UPLOAD_FIELD]: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'One or many images, read by what they decode as (never by name or MIME type).' },
          ...fields,
        },
      },
    }),
  );
}

/**
 * The operation's error answers, all in the one `ApiError` shape: one entry per status, listing
 * the `error` codes it stands for.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({ status, description: codes.map((code) => `\`${code}\``).join(', '), content: { 'application/json': { schema: contract('ApiError') } } }),
    ),
  );
}

/** A success answer whose body is a contract type (or one of several). */
export function ApiAnswer(status: number, description: string, ...types: string[]): MethodDecorator {
  const schema = types.length === 1 ? contract(types[0]!) : { oneOf: types.map(contract) };
  return ApiResponse({ status, description, content: { 'application/json': { schema } } });
}

/** The document for the app's routes, with the contract's schemas and the API-key schemes. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('dlserve')
    .setVersion(DLSERVE_VERSION)
    .setDescription(
      'Deep-learning models behind a web page: upload images in the multipart field `the_file`, get results as JSON, and result images as URLs under `/assets/`. ' +
        'Every error is an `ApiError` whose `error` is a stable code. When the server has `API_KEYS`, send one as `X-API-Key` or `Authorization: Bearer`; the health routes stay open.',
    )
    .addTag('models', 'Run the models: super-resolution, classification, OCR')
    .addTag('compress', 'The reference design: images in, smallest files at a quality target out')
    .addTag('jobs', 'Asynchronous requests: state, progress events, cancellation')
    .addTag('uploads', 'Keep files on the server')
    .addTag('operations', 'Health probes and Prometheus metrics')
    .addTag('open inference protocol', 'KServe V2 / Triton REST: tensors in, tensors out, for existing inference clients')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearer')
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  dropForeignPathParameters(document);
  document.components = { ...document.components, schemas: { ...CONTRACT, ...document.components?.schemas } };
  return document;
}

/**
 * One handler may serve several paths (`/api/models/{name}` and `/api/process`); Nest documents
 * its path parameters on each, so a path keeps only those its template has.
 */
function dropForeignPathParameters(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.delete, item.patch]) {
      if (!operation?.parameters) continue;
      operation.parameters = operation.parameters.filter((parameter) => !('in' in parameter) || parameter.in !== 'path' || path.includes(`{${parameter.name}}`));
    }
  }
}

/** Serves the UI at `/api/docs` and the document as JSON and YAML beside it. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => openApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    yamlDocumentUrl: `${DOCS_PATH}/openapi.yaml`,
    customSiteTitle: 'dlserve API',
  });
}
