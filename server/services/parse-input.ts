import type { z } from 'zod';
import { ServiceError } from './service-error';

/** Parses with a zod schema or throws a 400-kind ServiceError whose message names every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const message = issues.map((i) => (i.path && !i.message.startsWith(i.path) ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new ServiceError('bad_request', message, issues);
}
