// The command line, run in-process through buildCli with an injected environment and output, and
// once as a user runs it (a child process of bin/lacuna.mjs).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lacuna, ROOT, tempDir, BUNDLED_CATALOGUE } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');

describe('the command line', () => {
  const env = () => ({ LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: MINI });

  it('status --as-of answers what lacuna would have said on that date', async () => {
    const e = env();
    const before = await lacuna(['status', '--as-of', '2023-08-01', '--json'], e);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual([
      expect.objectContaining({ id: 'test.youth', status: 'current', last_disclosed: '2023-06' }),
    ]);
    const after = await lacuna(['status', '--as-of', '2023-09-01'], e);
    expect(after.stdout).toMatch(/^suspended\s+test\.youth\s+2023-06\s+2023-07 due 2023-08-17\s+\d+ d$/m);
  });

  it('rejects a malformed date with a clear message', async () => {
    const r = await lacuna(['status', '--as-of', '2023-02-30'], env());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('expected a date YYYY-MM-DD');
  });

  it('exports the period grid as CSV', async () => {
    const r = await lacuna(['export', '--as-of', '2023-08-01'], env());
    expect(r.stdout.split('\r\n').slice(0, 2)).toEqual([
      'series_id,period,value,state,sdmx_obs_status,first_seen_at,break,revised,backfilled,event_id,sdmx_obs_status_from,country',
      expect.stringMatching(/^test\.youth,2023-03,19\.6,disclosed,A,/),
    ]);
  });

  it('imports values, and refuses a file with a bad row naming its line, writing nothing', async () => {
    const e = env();
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'series_id,period,value\ntest.youth,2023-06,21.3\ntest.youth,2023-7,x\n');
    const refused = await lacuna(['import', bad], e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3:1: period "2023-7" is not a valid monthly period`);

    const good = join(dir, 'good.csv');
    writeFileSync(good, 'series_id,period,value\ntest.youth,2023-06,21.3\ntest.youth,2023-05,20.9\n');
    const dry = await lacuna(['import', '--dry-run', good], e);
    expect(dry.stdout).toContain('test.youth: 0 added, 1 revised, 1 unchanged (dry run: nothing written)');
    const done = await lacuna(['import', good], e);
    expect(done.stdout).toContain('test.youth: 0 added, 1 revised, 1 unchanged');
    const again = await lacuna(['import', good], e);
    expect(again.stdout).toContain('test.youth: 0 added, 0 revised, 2 unchanged');
  });

  it('validate reports a good catalogue, and start refuses a broken one with file and line', async () => {
    const ok = await lacuna(['validate'], env());
    expect(ok.stdout).toBe('catalogue OK: 1 publishers, 1 series, 4 values, 1 events\n');
    const broken = await lacuna(['start'], { ...env(), LACUNA_CATALOGUE: join(tempDir(), 'empty') });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/publishers\.yaml:1:1: missing: the catalogue needs a publishers\.yaml/);
  });

  it('validate warns, a month ahead, that the bundled exchanges\' holiday file runs out, and still succeeds', async () => {
    const e = { LACUNA_CATALOGUE: BUNDLED_CATALOGUE, LACUNA_DB: join(tempDir(), 'v.sqlite') };
    const november = await lacuna(['validate'], e, { now: Date.parse('2026-11-15T00:00:00Z') });
    expect([november.code, november.stderr]).toEqual([0, '']);
    const december = await lacuna(['validate'], e, { now: Date.parse('2026-12-01T00:00:00Z') });
    expect(december.code).toBe(0);
    expect(december.stderr).toMatch(/^lacuna: holidays\/cn-exchanges\.yaml lists closures up to 2026-12-31: the days after it of 4 daily series \(cn\.sse\.stock_connect/);
  });

  it('refuses a bad environment variable, naming it', async () => {
    const r = await lacuna(['validate'], { ...env(), PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT');
  });

  it('alerts --replay shows when lacuna would have flagged youth unemployment in August 2023, on the bundled data', async () => {
    const r = await lacuna(['alerts', '--replay', '2023-06-01', '2024-03-01'], { LACUNA_DB: join(tempDir(), 'lacuna.sqlite') });
    expect(r.code).toBe(0);
    // In Beijing time, as the README says (it was 2023-08-14T16:00:00Z in UTC).
    expect(r.stdout).toMatch(/^2023-08-15 00:00 Asia\/Shanghai {2}suspended +cn\.nbs\.unemployment\.urban\.age16_24 {2}\[current -> suspended\]/m);
    expect(r.stdout).toMatch(/^2024-01-17 00:00 Asia\/Shanghai {2}discontinued cn\.nbs\.unemployment\.urban\.age16_24/m);
  }, 60_000); // a backtest walks every daily series day by day

  it('adds, lists and disables an alert channel, refusing bad settings with the reason', async () => {
    const e = env();
    const added = await lacuna(['channel', 'add', 'desk', '--kind', 'webhook', '--set', 'url=http://127.0.0.1:9/hook', 'preset=slack', '--topic', 'labour'], e);
    expect(added.stdout).toContain('channel desk (webhook) saved');
    await lacuna(['channel', 'disable', 'desk'], e);
    const list = await lacuna(['channel', 'list'], e);
    expect(list.stdout).toMatch(/^desk\twebhook\tDISABLED\tcli\teach\tfollows topic:labour$/m);
    const bad = await lacuna(['channel', 'add', 'x', '--kind', 'webhook', '--set', 'url=ftp://nope'], e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^lacuna: channel x: url: /m);
  });

  it('runs as a child process of bin/lacuna.mjs, with the exit code and output a user sees', async () => {
    const ok = await promisify(execFile)('node', [join(ROOT, 'bin', 'lacuna.mjs'), 'validate'], { env: { ...process.env, ...env() }, cwd: ROOT });
    expect(ok.stdout).toBe('catalogue OK: 1 publishers, 1 series, 4 values, 1 events\n');
    const bad = await promisify(execFile)('node', [join(ROOT, 'bin', 'lacuna.mjs'), 'validate'], { env: { ...process.env, ...env(), PORT: 'x' }, cwd: ROOT })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('PORT') });
  }, 60_000);
});
