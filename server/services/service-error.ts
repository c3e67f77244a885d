/**
 * A failure a caller can act on, typed by what went wrong rather than by
 * transport: route handlers map it to an HTTP status in one place
 * (app/api/_lib/respond.ts), the CLI to an exit code and a sentence.
 */
export type ServiceErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'gone' | 'rate_limited';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const HTTP_STATUS: Record<ServiceErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
};
