import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const MiB = 1024 * 1024;

/** Where `pnpm build` puts the single-page app, relative to this compiled file (dist/src/config). */
const BUILT_WEB_APP = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Every environment variable the API reads, declared once. The README's configuration table
 * lists the same names, defaults and meanings.
 */
const EnvSchema = z.object({
  PORT: port.default(1127),
  HOST: z.string().min(1).default('127.0.0.1'),
  ASSETS_DIR: z.string().min(1).default('./data/assets'),
  UPLOADS_DIR: z.string().min(1).default('./data/uploads'),
  MAX_FILE_BYTES: positiveInt.default(25 * MiB),
  MAX_FILES: positiveInt.max(1000).default(20),
  WEB_DIR: z.string().default(BUILT_WEB_APP),
});

export type Env = z.input<typeof EnvSchema>;

/** The API's settings, parsed from the environment once at start-up. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the folder results are written to and served from at `/assets/`. */
  readonly assetsDir: string;
  /** Absolute path of the folder `POST /api/uploads` keeps files in. */
  readonly uploadsDir: string;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  /** Absolute path of the built web app served at `/`; null when `WEB_DIR` is set empty. */
  readonly webDir: string | null;

  private constructor(env: z.output<typeof EnvSchema>) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.assetsDir = resolve(env.ASSETS_DIR);
    this.uploadsDir = resolve(env.UPLOADS_DIR);
    this.maxFileBytes = env.MAX_FILE_BYTES;
    this.maxFiles = env.MAX_FILES;
    this.webDir = env.WEB_DIR === '' ? null : resolve(env.WEB_DIR);
  }

  /** Parses the environment; throws one error listing every bad variable. */
  static fromEnv(env: Record<string, string | undefined> = process.env): AppConfig {
    const known = Object.fromEntries(
      Object.keys(EnvSchema.shape).map((name) => [name, emptyToUndefined(name, env[name])]),
    );
    const parsed = EnvSchema.safeParse(known);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
    }
    return new AppConfig(parsed.data);
  }
}

/** An unset and an empty variable mean "use the default", except `WEB_DIR=` which turns the app off. */
function emptyToUndefined(name: string, value: string | undefined): string | undefined {
  if (name === 'WEB_DIR') return value;
  return value === undefined || value.trim() === '' ? undefined : value;
}
