// A second thread for as-of views of every series (allEvaluatedAt, src/read/read-model.ts): on a
// two-core machine the evaluations of a past date take half as long when the main thread and this
// helper each take chunks of series from one shared counter until none are left. The helper opens
// the database read-only and posts each chunk back as stored-evaluation text, which the main thread
// decodes. Started on first use and kept (unreferenced, so it never holds a process open); when it
// cannot start or fails, the main thread evaluates what it left.
import { Worker } from 'node:worker_threads';
import type { AsOfWindow } from './read-model.js';

export interface AsOfJob {
  id: number;
  file: string;
  at: number;
  window: AsOfWindow | undefined;
  /** No stored evaluation can hold at `at` (it is before them all). */
  noStored: boolean;
  ids: string[];
  /** The shared counter: the index of the next series to claim. */
  next: Int32Array;
  chunk: number;
}

/** A series the helper evaluated: its encoded evaluation and what the main thread builds the rest from. */
export interface HelperResult { id: string; evaluation: string; checkError: string | null; checkedAt: number | null }

interface Message { job: number; results?: HelperResult[]; done?: boolean; error?: string }

export class AsOfHelper {
  private static shared: AsOfHelper | null = null;
  private static disabled = false;
  private jobs = 0;
  private readonly waiting = new Map<number, { results: HelperResult[]; done: (r: HelperResult[]) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: Message) => {
      const w = this.waiting.get(m.job);
      if (!w) return;
      if (m.results) w.results.push(...m.results);
      if (m.done) {
        this.waiting.delete(m.job);
        if (this.waiting.size === 0) this.worker.unref();
        w.done(w.results);
      }
    });
    const fail = () => {
      AsOfHelper.shared = null;
      for (const [job, w] of this.waiting) { this.waiting.delete(job); w.done(w.results); }
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  /** Whether the process may start one (LACUNA_AS_OF_HELPER, set by the composition root). */
  static allow(on: boolean): void {
    AsOfHelper.allowed = on;
  }

  private static allowed = true;

  /** The process's helper, started on first use; null where none can run or it is turned off. */
  static get(): AsOfHelper | null {
    if (AsOfHelper.disabled || !AsOfHelper.allowed) return null;
    if (!AsOfHelper.shared) {
      try {
        AsOfHelper.shared = new AsOfHelper(new Worker(new URL('./as-of-worker.mjs', import.meta.url)));
      } catch {
        AsOfHelper.disabled = true;
        return null;
      }
    }
    return AsOfHelper.shared;
  }

  /**
   * Starts the helper on a job; resolves with what it evaluated (all it claimed, unless it failed:
   * the caller evaluates whatever is absent).
   */
  run(job: Omit<AsOfJob, 'id'>): Promise<HelperResult[]> {
    const id = ++this.jobs;
    return new Promise((done) => {
      this.waiting.set(id, { results: [], done });
      // Held open while a job runs (a command awaiting it must not exit), let go after.
      this.worker.ref();
      this.worker.postMessage({ ...job, id });
    });
  }
}
