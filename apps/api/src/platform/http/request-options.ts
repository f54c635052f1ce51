import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * Reads an endpoint's options: multipart text fields or query parameters (a field wins over a
 * parameter of the same name), empty values unset (as an HTML form sends an empty number input),
 * checked against a strict schema. A bad or unknown option is a 400 that names it and, for an
 * unknown one, lists the options there are (`known`).
 */
export function parseRequestOptions<Schema extends z.ZodType>(schema: Schema, query: unknown, body: unknown, known: string): z.output<Schema> {
  const given = Object.fromEntries(
    Object.entries({ ...asRecord(query), ...asRecord(body) }).filter(([, value]) => value !== ''),
  );
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const message =
    issue?.code === 'unrecognized_keys'
      ? `Unknown option ${issue.keys.map((key) => `'${key}'`).join(', ')}; the options are ${known}.`
      : `Invalid option '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'not understood'}.`;
  throw new AppError('invalid_option', message);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
