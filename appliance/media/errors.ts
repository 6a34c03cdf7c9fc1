// Typed errors of the media layer. Callers branch on `code`; SIP-facing ones carry the SIP status
// the call layer should answer with.
import { ApplianceError } from '../errors.js';

export class MediaError extends ApplianceError {
  /** SIP response status for failures that end an INVITE transaction. */
  readonly sipStatus: number | undefined;

  constructor(code: string, message: string, opts: { sipStatus?: number; retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, opts);
    this.sipStatus = opts.sipStatus;
  }
}

/** The offer has no audio stream we can take (no common codec, only SRTP, ...): answer 488 Not Acceptable Here. */
export class SdpNotAcceptableError extends MediaError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('SPA_ERR_SDP_NOT_ACCEPTABLE', `SDP offer not acceptable: ${reason}`, { sipStatus: 488, details: { ...details, reason } });
  }
}

/** The SDP body cannot be read (no m= line, no connection address, bad port): answer 400 Bad Request. */
export class SdpMalformedError extends MediaError {
  constructor(reason: string) {
    super('SPA_ERR_SDP_MALFORMED', `malformed SDP: ${reason}`, { sipStatus: 400, details: { reason } });
  }
}

/** No RTP port pair could be bound: answer 503; a retry later may work. */
export class RtpPortsExhaustedError extends MediaError {
  constructor(details: Record<string, unknown> = {}) {
    super('SPA_ERR_RTP_PORTS_EXHAUSTED', 'no free RTP port pair', { sipStatus: 503, retryable: true, details });
  }
}

/** sendDtmf() on a session whose remote did not offer telephone-event at the codec's clock rate. */
export class DtmfUnavailableError extends MediaError {
  constructor() {
    super('SPA_ERR_DTMF_UNAVAILABLE', 'telephone-event was not negotiated');
  }
}

/** A method was called in a state where it cannot work (e.g. play() after stop()). */
export class MediaStateError extends MediaError {
  constructor(message: string) {
    super('SPA_ERR_MEDIA_STATE', message);
  }
}
