/**
 * Typed error codes, each mapped to exactly one HTTP status. Adding a code without a status fails to compile.
 * Services throw AppError; only the HTTP layer turns it into a response.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 429,
  rate_limited: 429,
  lookup_rate_limited: 429,
  csrf: 403,
  forbidden: 403,
  user_disabled: 403,
  not_found: 404,
  conflict: 409,
  duplicate_customer: 409,
  email_taken: 409,
  role_in_use: 409,
  builtin_role: 409,
  import_not_ready: 409,
  stale: 412,
  process_closed: 409,
  process_running: 409,
  approval_pending: 409,
  transition_not_allowed: 409,
  approval_not_pending: 409,
  idempotency_in_progress: 409,
  merge_self: 422,
  unsupported_file: 422,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field error: an i18n key (validation.*) with optional variables, translated when the response is built. */
export interface FieldError {
  key: string;
  vars?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, FieldError>;
  readonly vars?: Record<string, unknown>;
  readonly extra?: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    opts: {
      fields?: Record<string, FieldError>;
      vars?: Record<string, unknown>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(code);
    this.code = code;
    this.fields = opts.fields;
    this.vars = opts.vars;
    this.extra = opts.extra;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');

export function fieldError(field: string, key: string, vars?: Record<string, unknown>): AppError {
  return new AppError('validation', { fields: { [field]: { key, vars } } });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not even UUIDs are unknown ids: 404, never a database error. */
export function assertId(id: string): string {
  if (!UUID_RE.test(id)) throw notFound();
  return id.toLowerCase();
}

export function isUuid(id: string): boolean {
  return UUID_RE.test(id);
}
