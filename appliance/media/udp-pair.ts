// Binding the RTP/RTCP socket pair and sending with a promise. A port that is taken gives
// undefined, so the caller can try the next pair; other bind errors are thrown.
import type { Socket } from 'node:dgram';
import type { Endpoint } from './remote-latch.js';

function bindOne(socket: Socket, address: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.off('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    };
    const onListening = (): void => {
      socket.off('error', onError);
      resolve(true);
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind({ port, address, exclusive: true });
  });
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // not bound: nothing to close
  }
}

/** Binds `port` and `port + 1`; undefined (both closed) if either is taken. */
export async function bindPair(create: () => Socket, address: string, port: number): Promise<{ rtp: Socket; rtcp: Socket } | undefined> {
  const rtp = create();
  const rtcp = create();
  try {
    if ((await bindOne(rtp, address, port)) && (await bindOne(rtcp, address, port + 1))) return { rtp, rtcp };
  } catch (err) {
    closeQuietly(rtp);
    closeQuietly(rtcp);
    throw err;
  }
  closeQuietly(rtp);
  closeQuietly(rtcp);
  return undefined;
}

/** Sends one datagram; resolves false on error instead of rejecting. */
export function sendTo(socket: Socket, data: Buffer, to: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      socket.send(data, to.port, to.address, (err) => resolve(!err));
    } catch {
      resolve(false);
    }
  });
}
