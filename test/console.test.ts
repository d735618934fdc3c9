// A calm console: a taken port is a one-line message naming PORT, routine job runs stay out of
// the log at info, and `lacuna --version` answers.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../jobs/jobs.js';
import { runJob } from '../jobs/scheduler.js';
import { createLogger } from '../src/app/log.js';
import { lacuna, loadedDb, tempDir } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
let taken: Server;
let port = 0;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => taken.close(() => ok())));

describe('the console', () => {
  it('says the port is taken and names PORT, in one line without a stack', async () => {
    const r = await lacuna(['start'], { LACUNA_DB: join(tempDir(), 'x.sqlite'), LACUNA_CATALOGUE: MINI, PORT: String(port), LACUNA_SCHEDULER: 'off' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^lacuna: port ${port} on 127\\.0\\.0\\.1 is already in use: set PORT to a free port \\(PORT=0 picks one\\)`, 'm'));
    expect(r.stderr).not.toContain('EADDRINUSE');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('logs a job run that did nothing at debug, not at info', async () => {
    const { db } = loadedDb(Date.parse('2023-09-01T00:00:00Z'), MINI);
    const lines: string[] = [];
    const deps = {
      db, now: () => Date.parse('2023-09-01T00:00:00Z'), log: createLogger('info', (s) => lines.push(s)),
      http: async () => { throw new Error('no network'); }, sources: { urls: {}, apiKeys: {} }, secret: () => undefined,
      alerts: { options: { alertOnLate: false }, reminderDays: 0, publicUrl: 'http://x' },
    } as unknown as Parameters<typeof runJob>[1];
    for (let i = 0; i < 3; i++) await runJob(jobs.find((j) => j.name === 'deliver-alerts')!, deps);
    expect(lines).toEqual([]);
    const debug: string[] = [];
    await runJob(jobs.find((j) => j.name === 'deliver-alerts')!, { ...deps, log: createLogger('debug', (s) => debug.push(s)) });
    expect(debug.join('')).toContain('job deliver-alerts: 0 sent');
  });

  it('prints its version', async () => {
    const r = await lacuna(['--version'], {});
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
