// Typed errors with stable codes (in the manner of fastify's FST_ERR_* catalogue). Callers branch
// on `code`, never on message text. `status` is the HTTP status the API answers with.

export class ApplianceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { status?: number; retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status ?? 500;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details ?? {};
  }
}

/** The request names something that does not exist (service, provider, appointment). */
export class NotFoundError extends ApplianceError {
  constructor(what: string, id: string | number) {
    super('SPA_ERR_NOT_FOUND', `${what} ${String(id)} does not exist`, { status: 404, details: { what, id } });
  }
}

/** The slot is taken, outside hours, too soon, or otherwise not bookable. Retrying with another slot may work. */
export class SlotUnavailableError extends ApplianceError {
  /** `why` is a stable word (taken, closed, outside-hours, too-soon, past, provider); `text` is for people. */
  constructor(why: string, text: string, details: Record<string, unknown> = {}) {
    super('SPA_ERR_SLOT_UNAVAILABLE', `slot not available: ${text}`, { status: 409, details: { ...details, why } });
  }
}

/** A value from outside (API body, phone number) is malformed. */
export class InvalidInputError extends ApplianceError {
  constructor(message: string, fields: Record<string, string> = {}) {
    super('SPA_ERR_INVALID_INPUT', message, { status: 400, details: { fields } });
  }
}

/** The appointment cannot change from its current status (e.g. moving a cancelled one). */
export class InvalidStateError extends ApplianceError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('SPA_ERR_INVALID_STATE', message, { status: 409, details });
  }
}
