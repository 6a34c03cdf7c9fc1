// The byte pipe to the modem: serialport 13 in production (and in the pty tests, where socat
// plays the modem's tty), behind a small interface so the driver never touches serialport itself.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SerialPort } from 'serialport';
import { ModemUnavailableError } from './errors.js';

export interface SerialLink {
  write(data: string): void;
  /** Closes the port; resolves when closed (or at once when it already is). */
  close(): Promise<void>;
  onData(fn: (chunk: Buffer) => void): void;
  /** The port closed by itself (the modem unplugged, the pty went away). */
  onClose(fn: (err: Error | null) => void): void;
}

export type OpenSerialLink = (path: string) => Promise<SerialLink>;

/** Opens a serial device at 115200 8N1 (USB modems ignore the rate). */
export const openSerialPort: OpenSerialLink = (path) =>
  new Promise<SerialLink>((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
    port.open((err) => {
      if (err) {
        reject(new ModemUnavailableError(`cannot open the modem's serial device: ${err.message}`, err));
        return;
      }
      let closedByUs = false;
      const closeFns: Array<(err: Error | null) => void> = [];
      const vanished = watchVanish(path, () => {
        if (port.isOpen) port.close();
      });
      port.on('close', (e: Error | null) => {
        vanished?.close();
        if (!closedByUs) for (const fn of closeFns) fn(e ?? null);
      });
      // An error after open (a write to a vanished device) is followed by 'close'; nothing more to do.
      port.on('error', () => undefined);
      resolve({
        write: (data) => {
          port.write(Buffer.from(data, 'latin1'));
        },
        close: () =>
          new Promise<void>((done) => {
            closedByUs = true;
            if (!port.isOpen) {
              done();
              return;
            }
            port.close(() => done());
          }),
        onData: (fn) => port.on('data', fn),
        onClose: (fn) => closeFns.push(fn),
      });
    });
  });

/**
 * Calls `gone` when the device's path disappears (a USB modem's node and its udev links go on
 * unplug). serialport notices a vanished device only through its poller, and now and then misses
 * the hang-up (seen with a pty whose other end closed): the path going is the surer sign. Null
 * when the folder cannot be watched (no inotify watches left): serialport's notice is all there is.
 */
function watchVanish(path: string, gone: () => void): FSWatcher | null {
  try {
    const w = watch(dirname(path), { persistent: false }, (_event, name) => {
      if ((name === null || name === basename(path)) && !existsSync(path)) gone();
    });
    w.on('error', () => w.close());
    return w;
  } catch {
    return null;
  }
}
