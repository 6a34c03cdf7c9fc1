import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingResponseMessage, LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import { createLogger } from '../log.js';
import { isChallenge, RegistrarAddresses, withholdChallenge } from './registrar-guard.js';

const log = createLogger({ level: 'silent' });

function response(status: number, extra: string[]): IncomingResponseMessage {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  const text = [
    `SIP/2.0 ${status} Unauthorized`,
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1',
    'From: <sip:250@pbx>;tag=a',
    'To: <sip:250@pbx>;tag=b',
    'Call-ID: c1',
    'CSeq: 1 REGISTER',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const m = Parser.parseMessage(text, factory.getLogger('test'));
  assert.ok(m instanceof IncomingResponseMessage);
  return m;
}

test("a registrar given as an address is its own address set; a name is looked up, and a failed lookup keeps the last answer", async () => {
  const byIp = new RegistrarAddresses({ log, registrar: 'sip:192.168.1.10:5060;transport=tcp' });
  assert.deepEqual([...(await byIp.refresh())], ['192.168.1.10']);
  assert.ok(byIp.has('::ffff:192.168.1.10'));
  assert.ok(!byIp.has('192.168.1.11'));

  let answer: string[] | Error = ['192.168.1.20', '192.168.1.21'];
  const byName = new RegistrarAddresses({
    log,
    registrar: 'pbx.local:5060',
    resolve: (host) => {
      assert.equal(host, 'pbx.local');
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  });
  assert.ok(!byName.has('192.168.1.20'), 'nothing is known before the first lookup');
  await byName.refresh();
  assert.ok(byName.has('192.168.1.21'));
  answer = new Error('ENOTFOUND');
  await byName.refresh();
  assert.ok(byName.has('192.168.1.20'), 'kept through a DNS failure');
  answer = ['192.168.1.30'];
  await byName.refresh();
  assert.ok(!byName.has('192.168.1.20') && byName.has('192.168.1.30'), 'a moved registrar is followed');

  const none = new RegistrarAddresses({ log, registrar: null });
  assert.equal((await none.refresh()).size, 0);
});

test('withholding a challenge removes WWW-Authenticate / Proxy-Authenticate so SIP.js has nothing to answer', () => {
  const www = response(401, ['WWW-Authenticate: Digest realm="pbx", nonce="abc", qop="auth"']);
  const proxy = response(407, ['Proxy-Authenticate: Digest realm="evil", nonce="xyz"']);
  assert.ok(isChallenge(www) && isChallenge(proxy));
  assert.ok(www.parseHeader('www-authenticate'));
  withholdChallenge(www);
  withholdChallenge(proxy);
  assert.equal(www.parseHeader('www-authenticate'), undefined);
  assert.equal(proxy.parseHeader('proxy-authenticate'), undefined);
  assert.equal(www.getHeader('call-id'), 'c1', 'the rest of the response is untouched');
  assert.ok(!isChallenge(response(403, [])));
});
