/**
 * The error wording of validation: how a problem becomes a sentence that names the field
 * (`lines[0].qty: must be a positive quantity`), so a sync log or a support person can tell which
 * device sent what. The field-specific sentences sit beside their schemas (schemas.ts).
 */
import type { z } from 'zod';
import { EVENT_SCHEMA_VERSION } from './patterns.ts';

/** Type-level errors: a missing field says so, instead of describing the expected type. */
export const unlessMissing =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is missing' : message;

/** Checked first so an event from a newer app says "update" rather than listing field errors. */
export function newerSchemaError(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('schema' in input)) return undefined;
  const version = (input as { schema: unknown }).schema;
  if (typeof version === 'number' && Number.isInteger(version) && version > EVENT_SCHEMA_VERSION) {
    return `schema: event schema version ${version} is newer than this app understands (${EVENT_SCHEMA_VERSION}); update the app before syncing this event`;
  }
  return undefined;
}

/** The sentence for an issue no schema worded itself: a missing field, or a value of the wrong type. */
export function describeGenericIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  if (issue.code === 'invalid_type') return `must be ${withArticle(issue.expected)}, got ${describeValue(issue.input)}`;
  return undefined;
}

/** Every issue as `field: problem`, joined into one message. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

/** `lines[0].qty`, or `event` for the whole value. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'event';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function withArticle(expected: string): string {
  return expected === 'object' || expected === 'array' ? `an ${expected}` : expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
