// An SMTP server for the channels benchmark, in its own process so receiving does not share the
// sender's CPU: accepts everything, counts messages by X-Nurtureflow-Key, reports them and its CPU
// time over IPC.
import { SMTPServer } from 'smtp-server';

const counts = new Map<string, number>();
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  closeTimeout: 100,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 8192) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const key = /^X-Nurtureflow-Key: (.+)$/im.exec(head)?.[1]?.trim() ?? '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (m: { type: string }) => {
  if (m.type === 'counts') {
    let total = 0;
    let twice = 0;
    for (const n of counts.values()) {
      total += n;
      if (n > 1) twice++;
    }
    const cpu = process.cpuUsage();
    process.send!({ total, keys: counts.size, twice, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (m.type === 'stop') server.close(() => process.exit(0));
});
