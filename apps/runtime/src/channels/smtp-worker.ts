// The worker thread SmtpTransports sends from: builds each message and speaks SMTP over its own
// pooled connections, and answers with the outcome the dispatcher records.
import { parentPort, workerData } from 'node:worker_threads';
import { SmtpSender, type SmtpOptions, type SmtpReply, type SmtpRequest } from './smtp.ts';

const port = parentPort!;
const sender = new SmtpSender(workerData as SmtpOptions);
const inFlight = new Set<Promise<void>>();
port.on('message', (m: SmtpRequest) => {
  if (m.type === 'close') {
    // Messages already handed over finish first; then the connections close and the thread ends.
    void Promise.all(inFlight).then(() => {
      sender.close();
      port.close();
    });
    return;
  }
  const sending = sender.sendMany(m.items).then((deliveries) => {
    inFlight.delete(sending);
    port.postMessage({ id: m.id, deliveries } satisfies SmtpReply);
  });
  inFlight.add(sending);
});
