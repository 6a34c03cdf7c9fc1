// Typed transport errors with stable codes. SIP.js wraps any rejection of `Transport.send` in its
// TransportError and ends the transaction; the code here is for our logs and callers.
import { ApplianceError } from '../../errors.js';

/** The SIP port could not be bound (in use, bad address, no permission). */
export class SipBindError extends ApplianceError {
  constructor(address: string, port: number, cause: unknown) {
    super('SPA_ERR_SIP_BIND', `cannot listen for SIP on ${address}:${port}`, {
      status: 503,
      details: { address, port },
      cause,
    });
  }
}

/** A message could not be sent: unroutable (not retryable) or a network failure (retryable). */
export class SipSendError extends ApplianceError {
  readonly reason: string;

  constructor(reason: string, opts: { retryable: boolean; cause?: unknown }) {
    super('SPA_ERR_SIP_SEND', `SIP message not sent: ${reason}`, {
      status: 502,
      retryable: opts.retryable,
      details: { reason },
      cause: opts.cause,
    });
    this.reason = reason;
  }
}
