// Builds answers in a worker thread (src/status/answers.ts): each job's answers are posted back on
// the port the main thread sent, and the shared counter is bumped so that a waiting thread wakes.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { buildAnswer, type AnswerJob } from './answers.js';

parentPort!.once('message', ({ port, posted }: { port: MessagePort; posted: Int32Array }) => {
  port.on('message', (job: AnswerJob) => {
    try {
      const a = buildAnswer(job);
      // Exact copies, so that only the answer's bytes cross (a pooled buffer would carry its whole pool).
      const observations = new Uint8Array(a.observations);
      const csv = new Uint8Array(a.csv);
      port.postMessage({ seriesId: a.seriesId, generation: a.generation, observations, csv }, [observations.buffer, csv.buffer]);
    } catch (e) {
      port.postMessage({ seriesId: job.seriesId, error: e instanceof Error ? e.message : String(e) });
    }
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  });
});
