// Glue between SipTransport and the SIP.js 0.21 core (UserAgentCore without its UserAgent layer).
//
// Wiring (UserAgentCoreConfiguration):
//   viaHost:            transport.sentBy()            -> Via carries our real address:port
//   contact:            sipjsContact(user, transport.local)
//   viaForceRport:      true (RFC 3581; the transport adds it on UDP anyway)
//   hackViaTcp:         false (the transport sets the Via transport token per message)
//   transportAccessor:  () => transport
//   loggerFactory:      sipjsLoggerFactory(log)
// and, after start(): deliverToCore(transport, core, log).
//
// Note on the response Via check: SIP.js's *UserAgent* (api/user-agent.js, onTransportMessage)
// drops responses whose top Via host is not `viaHost` or has a port. UserAgentCore itself does not
// (it only drops responses with more than one Via header and matches on branch + CSeq method), so
// nothing needs rewriting for the core; the transport performs the RFC 3261 18.1.2 sent-by check.
import {
  IncomingRequestMessage,
  LoggerFactory,
  URI,
  type Contact,
  type UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { Logger } from '../../log.js';
import type { ReceivedMessage, SipTransport } from './sip-transport.js';
import { bracket, type Endpoint } from './via.js';

/** Feeds every message the transport passes up into the core. Returns a function that detaches. */
export function deliverToCore(transport: SipTransport, core: UserAgentCore, log: Logger): () => void {
  const listener = ({ message, source }: ReceivedMessage): void => {
    try {
      if (message instanceof IncomingRequestMessage) core.receiveIncomingRequestFromTransport(message);
      else core.receiveIncomingResponseFromTransport(message);
    } catch (err) {
      // SIP.js throws on some unexpected input; one bad message must not take the appliance down.
      log.warn({ err, protocol: source.protocol }, 'SIP.js core failed on an incoming message');
    }
  };
  transport.on('message', listener);
  return () => {
    transport.off('message', listener);
  };
}

/** The Contact SIP.js puts in dialog-creating requests and responses: `<sip:user@addr:port>`. */
export function sipjsContact(user: string, local: Endpoint): Contact {
  const uri = new URI('sip', user, bracket(local.address), local.port);
  return {
    pubGruu: undefined,
    tempGruu: undefined,
    uri,
    toString: () => `<${uri.toString()}>`,
  };
}

/** SIP.js logs through pino: its errors and warnings as warn, the rest as debug. */
export function sipjsLoggerFactory(log: Logger): LoggerFactory {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  factory.level = 3; // let everything through to the connector; pino filters by its own level
  factory.connector = (level: string, category: string, label: string | undefined, content: unknown): void => {
    const fields = { sipjs: category, label };
    const text = typeof content === 'string' ? content : String(content);
    if (level === 'error' || level === 'warn') log.warn(fields, text);
    else log.debug(fields, text);
  };
  return factory;
}
