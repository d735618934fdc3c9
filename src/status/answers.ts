// The stored answers of a series (the body of /api/series/:id/observations and its rows of
// /export.csv, gzip-compressed), built from its evaluation. A check that writes a few builds them
// in this thread; one that writes many hands them to a worker thread, so that evaluating and
// compressing run on two cores, and writes each answer when it comes back, tagged with the
// generation of the stored evaluation it was built from (readers take an answer only with its own
// generation, and write the answer themselves until it is there).
import { randomInt } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { decodeColumns, gridOfColumns, type Frequency, type GridColumns, type PeriodCell } from '../core/index.js';
import { columnsCsv, observationsJson } from '../formats/grid-format.js';

export interface AnswerHead {
  seriesId: string;
  unit: string;
  frequency: Frequency;
  /** The series' country (ISO 3166-1 alpha-2), a column of the export; null when none is known. */
  country: string | null;
}

/** A stored evaluation whose answers are to be built. */
export interface AnswerJob extends AnswerHead {
  generation: number;
  /** The stored evaluation (encodeEvaluation). */
  evaluation: string;
}

export interface BuiltAnswer {
  seriesId: string;
  generation: number;
  observations: Uint8Array;
  csv: Uint8Array;
}

/** A new generation for a stored evaluation: random, so that two processes never name two writes alike. */
export const newGeneration = (): number => randomInt(1, 2 ** 47);

// Level 1: a tenth the size of the text at a third of the default level's time.
const gz = (text: string): Buffer => gzipSync(text, { level: 1, memLevel: 9 });

/** Both answers of a grid. */
export function answersOf(head: AnswerHead, grid: readonly PeriodCell[], columns: GridColumns): [observations: Buffer, csv: Buffer] {
  return [
    gz(observationsJson({ seriesId: head.seriesId, unit: head.unit, frequency: head.frequency, asOf: null }, grid)),
    gz(columnsCsv(head.seriesId, columns, head.country)),
  ];
}

/** Both answers of a stored evaluation (what the worker runs). */
export function buildAnswer(job: AnswerJob): BuiltAnswer {
  const columns = decodeColumns(job.evaluation);
  if (!columns) throw new Error(`series ${job.seriesId}: the stored evaluation has an unknown format`);
  const [observations, csv] = answersOf(job, gridOfColumns(columns), columns);
  return { seriesId: job.seriesId, generation: job.generation, observations, csv };
}

/** Answers handed out at most at once: the evaluations waiting in the worker's queue stay few. */
const IN_FLIGHT = 32;

/**
 * A worker thread that builds answers. `send` queues a job unless the worker is busy enough
 * (then the caller builds it itself, so that both threads keep working and memory stays bounded);
 * `take` collects what came back without waiting; `settle` waits for everything sent.
 */
export class AnswerWorker {
  private readonly port: MessagePort;
  /** Incremented by the worker after each answer it posts, so that `settle` can sleep until then. */
  private readonly posted = new Int32Array(new SharedArrayBuffer(4));
  private pending = 0;
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    worker.postMessage({ port: port2, posted: this.posted }, [port2]);
    worker.on('error', (e) => { this.failed = e; });
    worker.on('exit', (code) => { this.failed ??= new Error(`the answer worker exited with code ${code}`); });
    worker.unref();
    port1.unref();
  }

  private static shared: AnswerWorker | null = null;
  /** Answers the process's workers have built so far. */
  static received = 0;

  /** The process's worker, started on first use; null when it failed (answers are then built in this thread). */
  static get(): AnswerWorker | null {
    if (AnswerWorker.shared?.failed) AnswerWorker.shared = null;
    if (!AnswerWorker.shared) {
      try {
        AnswerWorker.shared = new AnswerWorker(new Worker(new URL('./answers-worker.mjs', import.meta.url)));
      } catch {
        return null;
      }
    }
    return AnswerWorker.shared;
  }

  /** Queues a job; false when the worker is busy or gone, and the caller should build it. */
  send(job: AnswerJob): boolean {
    if (this.failed || this.pending >= IN_FLIGHT) return false;
    this.port.postMessage(job);
    this.pending++;
    return true;
  }

  /** The answers that came back so far (jobs that failed are dropped: readers build those). */
  take(): BuiltAnswer[] {
    const out: BuiltAnswer[] = [];
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      this.pending--;
      const msg = m.message as BuiltAnswer | { seriesId: string; error: string };
      if ('error' in msg) console.error(`lacuna: answers of ${msg.seriesId} not stored: ${msg.error}`);
      else out.push(msg);
    }
    AnswerWorker.received += out.length;
    return out;
  }

  /** Waits (blocking this thread, at most `timeoutMs` in all) until every job sent came back; returns them. */
  settle(timeoutMs = 60_000): BuiltAnswer[] {
    const out = this.take();
    const deadline = performance.now() + timeoutMs;
    while (this.pending > 0 && !this.failed) {
      const seen = Atomics.load(this.posted, 0);
      out.push(...this.take());
      if (this.pending === 0) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.posted, 0, seen, Math.min(left, 100));
    }
    out.push(...this.take());
    if (this.failed) this.pending = 0;
    return out;
  }

  /** Whether as many jobs are out as the worker takes at once. */
  get full(): boolean {
    return this.pending >= IN_FLIGHT;
  }

  /** Whether jobs are out. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Stops the process's worker (tests). */
  static async stop(): Promise<void> {
    const w = AnswerWorker.shared;
    AnswerWorker.shared = null;
    if (w) await w.worker.terminate();
  }
}
