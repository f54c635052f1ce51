import { createRequire } from 'node:module';

/** dlserve's version, as its contract package states it: what `/api/docs` and `GET /v2` report. */
export const DLSERVE_VERSION = (createRequire(import.meta.url)('@dlserve/shared/package.json') as { version: string }).version;
