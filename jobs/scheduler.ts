// Runs the job table on node-cron in UTC, never two runs of the same job at once.
import cron, { type ScheduledTask } from 'node-cron';
import type { Job, JobDeps } from './jobs.js';

export interface Scheduler {
  stop(): Promise<void>;
}

/** Runs one job, logging its outcome; a failing job never takes the process down. */
export async function runJob(job: Job, deps: JobDeps): Promise<{ ok: boolean; message: string }> {
  const started = deps.now();
  try {
    const message = await job.run(deps);
    const line = `job ${job.name}: ${message} (${deps.now() - started} ms)`;
    if (job.routine?.(message)) deps.log.debug(line);
    else deps.log.info(line);
    return { ok: true, message };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.log.error(`job ${job.name} failed: ${message}`);
    return { ok: false, message };
  }
}

export function startScheduler(table: readonly Job[], deps: JobDeps): Scheduler {
  const names = new Set<string>();
  for (const job of table) {
    if (names.has(job.name)) throw new Error(`duplicate job name: ${job.name}`);
    names.add(job.name);
    if (!cron.validate(job.cron)) throw new Error(`job ${job.name}: invalid cron expression "${job.cron}"`);
  }
  const tasks: ScheduledTask[] = table.map((job) =>
    cron.schedule(job.cron, () => runJob(job, deps).then(() => undefined), {
      name: job.name, timezone: 'UTC', noOverlap: true,
    }));
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
