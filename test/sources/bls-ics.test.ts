// The BLS release calendar (iCalendar) against two real recorded answers
// (test/fixtures/recorded/bls-ics): the schedule as served for 2025-2026, after the 2025 lapse in
// appropriations re-dated releases, and the schedule for 2023-2024. Edited copies, made here and
// said so, test the failure classes.
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { blsIcs, blsIcsRef } from '../../src/sources/bls-ics.js';
import type { CalendarContext } from '../../src/sources/calendar-types.js';
import type { Frequency } from '../../src/core/index.js';
import { failure } from './parsed.js';

const POST_LAPSE = recorded('bls-ics/rex0227-bls-2025-2026.ics').toString('utf8');
const YEAR_2023 = recorded('bls-ics/mrcroesus-bls-2023-2024.ics').toString('utf8');
const ctx = (frequency: Frequency = 'monthly'): CalendarContext => ({ baseUrl: 'https://www.bls.gov', frequency, timeZone: 'America/New_York' });
const ref = (release: string, period: 'previous' | 'same' = 'previous') => blsIcsRef.parse({ release, period });
const parse = (text: string, release = 'Consumer Price Index', c = ctx()) => blsIcs.parse({ text, url: 'https://www.bls.gov/schedule/news_release/bls.ics' }, ref(release), c);

describe('the BLS release calendar', () => {
  it('reads every Consumer Price Index release of the 2025-2026 schedule: none between 2025-10-24 and 2025-12-18', () => {
    const { entries, others } = parse(POST_LAPSE);
    expect(entries).toHaveLength(23);
    expect(others).toBeGreaterThan(100);
    const autumn = entries.filter((e) => e.date! >= '2025-09-01' && e.date! <= '2026-01-31').map((e) => [e.date, e.time, e.entry]);
    expect(autumn).toEqual([
      ['2025-09-11', '08:30', 'a7ce3c82-2698-4278-86d8-c6e993febb91'],
      ['2025-10-24', '08:30', '01ce31a9-b86b-40b5-adc4-bcbb019dbe6d'],
      ['2025-12-18', '08:30', '205aa2a4-6e53-47a1-8f82-05bd7c7207d6'],
      ['2026-01-13', '08:30', 'ca043309-396a-4f95-ae7d-a508c7e148b1'],
    ]);
    expect(entries[0]).toMatchObject({ title: 'Consumer Price Index', period: null, state: 'scheduled', written: '20250115T083000' });
  });

  it('names the period a release date is for under the block rule: the CPI of 2025-10-24 is September 2025', () => {
    const { entries } = parse(POST_LAPSE);
    const periods = entries.filter((e) => e.date! >= '2025-10-01' && e.date! <= '2025-12-31').map((e) => [e.date, blsIcs.periodOf(e, ref('Consumer Price Index'), ctx())]);
    expect(periods).toEqual([['2025-10-24', '2025-09'], ['2025-12-18', '2025-11']]);
    expect(blsIcs.periodOf(entries[0]!, ref('Consumer Price Index', 'same'), ctx())).toBe('2025-01');
  });

  it('cannot tell a release moved into a later month from the next one: the September 2025 Employment Situation, out 2025-11-20, reads as October', () => {
    const { entries } = parse(POST_LAPSE, 'Employment Situation');
    const nov = entries.find((e) => e.date === '2025-11-20')!;
    expect(blsIcs.periodOf(nov, ref('Employment Situation'), ctx())).toBe('2025-10');
  });

  it('reads the 2023-2024 schedule the same way', () => {
    const { entries } = parse(YEAR_2023);
    expect(entries.map((e) => e.date)).toEqual([
      '2023-01-12', '2023-02-14', '2023-03-14', '2023-04-12', '2023-05-10', '2023-06-13', '2023-07-12', '2023-08-10', '2023-09-13', '2023-10-12', '2023-11-14', '2023-12-12',
      '2024-01-11', '2024-02-13', '2024-03-12', '2024-04-10', '2024-05-15', '2024-06-12', '2024-07-11', '2024-08-14', '2024-09-11', '2024-10-10', '2024-11-13', '2024-12-11',
    ]);
  });

  it('joins folded lines and carries a UTC time over to the calendar zone (an edited copy)', () => {
    const edited = POST_LAPSE.replace('SUMMARY:Consumer Price Index\nLOCATION:Washington\\, DC\nTRANSP:TRANSPARENT\nCATEGORIES:IMPORTANT, BLS\nEND:VEVENT', 'SUMMARY:Consumer Price\n  Index\nLOCATION:Washington\\, DC\nTRANSP:TRANSPARENT\nCATEGORIES:IMPORTANT, BLS\nEND:VEVENT')
      .replace(/DTSTART;TZID=US-Eastern:20250115T083000(\nDURATION:PT0M\nSUMMARY:Consumer Price)/, 'DTSTART:20250115T133000Z$1');
    expect(edited).not.toBe(POST_LAPSE);
    expect(parse(edited).entries[0]).toMatchObject({ date: '2025-01-15', time: '08:30' });
  });

  it('holds nothing of a release the calendar does not list (the runner fails it as absent)', () => {
    expect(parse(POST_LAPSE, 'Consumer Price Index (CPI)')).toMatchObject({ entries: [] });
    expect(parse(POST_LAPSE, 'Consumer Price Index (CPI)').others).toBeGreaterThan(100);
  });

  it('holds nothing at all of a calendar without events (the runner fails it as empty)', () => {
    expect(parse('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n')).toEqual({ entries: [], others: 0 });
  });

  it('fails an HTML page as malformed, saying it is one', () => {
    const e = failure(() => parse('<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Access Denied</body></html>'));
    expect([e.code, e.message]).toEqual(['malformed', expect.stringContaining('not an iCalendar (no BEGIN:VCALENDAR), an HTML page')]);
  });

  it('fails a truncated answer (the recorded one cut in half) as malformed', () => {
    const e = failure(() => parse(POST_LAPSE.slice(0, POST_LAPSE.length / 2)));
    expect([e.code, e.message]).toEqual(['malformed', 'BLS release calendar (Consumer Price Index): truncated iCalendar (no END:VCALENDAR)']);
  });

  it('fails an event of the release without a start, or with a start that is no date, as an unexpected shape (edited copies)', () => {
    const noStart = POST_LAPSE.replace(/DTSTART;TZID=US-Eastern:\d{8}T\d{6}\n(DURATION:PT0M\nSUMMARY:Consumer Price Index\n)/, '$1');
    expect(noStart).not.toBe(POST_LAPSE);
    expect(failure(() => parse(noStart))).toMatchObject({ code: 'shape', message: expect.stringContaining('without DTSTART') });
    const badDay = POST_LAPSE.replace(/DTSTART;TZID=US-Eastern:\d{8}T\d{6}(\nDURATION:PT0M\nSUMMARY:Consumer Price Index\n)/, 'DTSTART;TZID=US-Eastern:20250231T083000$1');
    expect(badDay).not.toBe(POST_LAPSE);
    expect(failure(() => parse(badDay))).toMatchObject({ code: 'shape', message: expect.stringContaining('20250231T083000: no such date') });
  });
});
