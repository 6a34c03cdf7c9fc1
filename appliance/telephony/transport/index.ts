// SIP transport for the SIP.js core: UDP + TCP, RFC 3261 reliability over UDP, Via handling.
export { SipTransport } from './sip-transport.js';
export type { ReceivedMessage, SipSource, SipTransportDeps, TransportStats } from './sip-transport.js';
export { deliverToCore, sipjsContact, sipjsLoggerFactory } from './sipjs-adapter.js';
export { SipBindError, SipSendError } from './errors.js';
export { MAX_MESSAGE_BYTES } from './message-intake.js';
export type { SipMessage } from './message-intake.js';
export { RFC3261_TIMERS } from './sip-timer-values.js';
export type { SipTimerValues } from './sip-timer-values.js';
export type { SendTarget, SipProtocol } from './routing.js';
