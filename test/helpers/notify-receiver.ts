// A stand-in for systemd's end of the sd_notify socket: a python3 process bound to a unix
// datagram socket (Node cannot bind one) that closes the barrier fd systemd-notify passes, as
// systemd does, and writes each datagram as a line (newlines inside turned into spaces).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RECEIVER = `
import socket, sys, os, array
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], 'a', buffering=1)
print('ready', flush=True)
while True:
    msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array('i'); fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
            for fd in fds: os.close(fd)
    out.write(msg.decode().replace('\\n', ' ') + '\\n')
`;

export interface NotifyReceiver {
  socketPath: string;
  /** Every datagram received so far, one per entry. */
  messages(): string[];
  stop(): void;
}

export async function startNotifyReceiver(dir: string): Promise<NotifyReceiver> {
  const socketPath = join(dir, 'notify');
  const outPath = join(dir, 'notify.out');
  const child: ChildProcess = spawn('python3', ['-c', RECEIVER, socketPath, outPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the notify receiver exited ${code}`)));
  });
  return {
    socketPath,
    messages: () => (existsSync(outPath) ? readFileSync(outPath, 'utf8').split('\n').filter((l) => l !== '') : []),
    stop: () => void child.kill(),
  };
}
