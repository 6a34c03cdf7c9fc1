// The byte pipe to the modem: serialport 13 in production (and in the pty tests, where socat
// plays the modem's tty), behind a small interface so the driver never touches serialport itself.
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
      port.on('close', (e: Error | null) => {
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
