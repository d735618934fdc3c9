// GOV.UK statistics announcements against the publisher's own recorded examples of the content
// item (test/fixtures/recorded/govuk-announcement, from alphagov/publishing-api): NHS England's
// "Diagnostic imaging dataset for September 2015" confirmed for 20 January 2016 9:30am, moved from
// 19 January, and cancelled with its reason; a provisional window ("January 2016").
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { displayDate, govukAnnouncement, govukAnnouncementRef, titlePeriod } from '../../src/sources/govuk-announcement.js';
import type { CalendarContext } from '../../src/sources/calendar-types.js';
import { failure } from './parsed.js';

const REF = govukAnnouncementRef.parse({ paths: ['/government/statistics/announcements/diagnostic-imaging-dataset-for-september-2015'] });
const CTX: CalendarContext = { baseUrl: 'https://www.gov.uk', frequency: 'monthly', timeZone: 'Europe/London' };
const text = (f: string) => recorded(`govuk-announcement/${f}.json`).toString('utf8');
const parse = (t: string) => govukAnnouncement.parse({ text: t, url: 'https://www.gov.uk/api/content/government/statistics/announcements/x' }, REF, CTX);

describe('a GOV.UK statistics announcement', () => {
  it('asks the content API for each announcement path', () => {
    expect(govukAnnouncement.requests(REF, CTX).map((r) => r.url)).toEqual([
      'https://www.gov.uk/api/content/government/statistics/announcements/diagnostic-imaging-dataset-for-september-2015',
    ]);
  });

  it('reads a confirmed announcement: its date and time, and the period its title names', () => {
    expect(parse(text('official_statistics')).entries).toEqual([{
      entry: 'e1553ea5-69e7-443e-a9b5-e5e8210097f5', title: 'Diagnostic imaging dataset for September 2015', period: '2015-09',
      date: '2016-01-20', time: '09:30', written: '20 January 2016 9:30am', state: 'scheduled', reason: null, previous: null, cancelledOn: null,
    }]);
  });

  it('reads a changed date with the date it replaces and the change note', () => {
    expect(parse(text('release_date_changed')).entries[0]).toMatchObject({
      date: '2016-01-20', time: '09:30', reason: 'Amended after inputting an error.',
      previous: { date: '2016-01-19', time: '09:30', written: '19 January 2016 9:30am' },
    });
  });

  it('reads a cancellation with its stated reason and the day it was cancelled', () => {
    expect(parse(text('cancelled_official_statistics')).entries[0]).toMatchObject({
      state: 'cancelled', reason: 'Official Statistics', cancelledOn: '2016-01-17', period: '2015-09',
    });
  });

  it('keeps a provisional window as written, with no date', () => {
    expect(parse(text('national_statistics')).entries[0]).toMatchObject({ date: null, time: null, written: 'January 2016', state: 'scheduled' });
  });

  it('reads GOV.UK display dates and the periods titles name', () => {
    expect(displayDate('20 January 2016 9:30am')).toEqual({ date: '2016-01-20', time: '09:30' });
    expect(displayDate('3 March 2025 12pm')).toEqual({ date: '2025-03-03', time: '12:00' });
    expect(displayDate('1 May 2025')).toEqual({ date: '2025-05-01', time: null });
    expect(displayDate('31 February 2025 9:30am')).toBeNull();
    expect(displayDate('January 2016')).toBeNull();
    expect(titlePeriod('Producer price inflation, UK: April 2025', 'monthly')).toBe('2025-04');
    expect(titlePeriod('UK environmental taxes: 2025', 'annual')).toBe('2025');
    expect(titlePeriod('UK environmental taxes: 2025', 'monthly')).toBeNull();
  });

  it('holds no announcement in an item of another schema (the reader fails a read with none as absent)', () => {
    const other = JSON.stringify({ ...JSON.parse(text('official_statistics')) as object, schema_name: 'publication' });
    expect(parse(other)).toEqual({ entries: [], others: 1 });
  });

  it('fails an HTML page as malformed, no schema or no state as an unexpected shape', () => {
    expect(failure(() => parse('<!DOCTYPE html><html><body>Page not found</body></html>'))).toMatchObject({ code: 'malformed', message: expect.stringContaining('(an HTML page)') });
    const none = JSON.parse(text('official_statistics')) as Record<string, unknown>;
    delete none.schema_name;
    expect(failure(() => parse(JSON.stringify(none)))).toMatchObject({ code: 'shape', message: expect.stringContaining('no schema_name') });
    const doc = JSON.parse(text('official_statistics')) as { details: Record<string, unknown> };
    delete doc.details.state;
    expect(failure(() => parse(JSON.stringify(doc)))).toMatchObject({ code: 'shape', message: expect.stringContaining('no details with a display_date and a state') });
  });
});
