// What a calendar read changes, with real dates: the US September 2025 CPI promised for 2025-10-15
// 08:30 and re-dated to 2025-10-24 08:30 (research US-1); NHS England's diagnostic imaging dataset
// for September 2015 on GOV.UK, moved from 19 to 20 January 2016 9:30am and cancelled with the
// reason "Official Statistics" (the publisher's recorded example content items).
import { describe, expect, it } from 'vitest';
import { calendarChanges, type AnsweredPromise, type CalendarReadFacts, type RecordedPromise } from '../../src/core/calendar-changes.js';

const at = (iso: string) => Date.parse(iso);
const UID = '01ce31a9-b86b-40b5-adc4-bcbb019dbe6d';
const SEPT_RECORDED: RecordedPromise = { entry: UID, period: '2025-09', dueAt: at('2025-10-15T12:30:00Z'), dueLocal: '2025-10-15 08:30', state: 'scheduled' };
const SEPT_ANSWER: AnsweredPromise = {
  entry: UID, title: 'Consumer Price Index', period: '2025-09', dueAt: at('2025-10-24T12:30:00Z'), dueLocal: '2025-10-24 08:30',
  state: 'scheduled', reason: null, previous: null, cancelledOn: null,
};

function facts(over: Partial<CalendarReadFacts>): CalendarReadFacts {
  return {
    seriesId: 'test.us.bls.cpi_u', frequency: 'monthly', timeZone: 'America/New_York', calendarName: 'BLS release calendar', complete: true,
    now: at('2025-10-12T14:00:00Z'), readId: 7, url: 'https://www.bls.gov/schedule/news_release/bls.ics', rawHash: 'a'.repeat(64),
    recorded: [], answered: [], ...over,
  };
}

describe('calendarChanges', () => {
  it('records a new announcement as a first version, with nothing to alert', () => {
    const c = calendarChanges(facts({ answered: [SEPT_ANSWER] }));
    expect(c.versions).toEqual([{ entry: UID, period: '2025-09', dueAt: SEPT_ANSWER.dueAt, dueLocal: '2025-10-24 08:30', state: 'scheduled', reason: null, source: 'BLS release calendar: Consumer Price Index', replaces: null }]);
    expect([c.events, c.changes]).toEqual([[], []]);
  });

  it('makes a date moved later a new version and a delayed event with both dates, citing the archived answer', () => {
    const c = calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [SEPT_ANSWER] }));
    expect(c.versions).toMatchObject([{ entry: UID, dueLocal: '2025-10-24 08:30', replaces: UID }]);
    expect(c.events).toEqual([{
      id: 'test.us.bls.cpi_u.calendar.delayed.2025-09.2025-10-24T08:30', kind: 'delayed', date: '2025-10-12', period: '2025-09',
      title: 'September 2025 release moved from 2025-10-15 08:30 to 2025-10-24 08:30 (BLS release calendar)',
      description: 'Inferred by lacuna from calendar read 7 of https://www.bls.gov/schedule/news_release/bls.ics: the BLS release calendar had promised September 2025 for 2025-10-15 08:30 and now promises it for 2025-10-24 08:30. The archived answer is the evidence.',
      evidenceKind: 'inferred', confidence: 'partly_verified',
      citations: [
        { url: `/raw/${'a'.repeat(64)}`, title: 'Archived answer of calendar read 7 (https://www.bls.gov/schedule/news_release/bls.ics)', publisher: 'lacuna' },
        { url: 'https://www.bls.gov/schedule/news_release/bls.ics', title: 'BLS release calendar', publisher: 'BLS release calendar' },
      ],
    }]);
    expect(c.changes).toMatchObject([{ kind: 'moved_later', period: '2025-09', from: '2025-10-15 08:30', to: '2025-10-24 08:30', dueAt: SEPT_RECORDED.dueAt }]);
  });

  it('recognises a release re-dated under a new id by its period', () => {
    const c = calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [{ ...SEPT_ANSWER, entry: 'another-uid' }] }));
    expect(c.versions).toMatchObject([{ entry: 'another-uid', replaces: UID }]);
    expect(c.changes.map((x) => x.kind)).toEqual(['moved_later']);
  });

  it('records a date moved earlier, alerting, with no delay event', () => {
    const c = calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [{ ...SEPT_ANSWER, dueAt: at('2025-10-14T12:30:00Z'), dueLocal: '2025-10-14 08:30' }] }));
    expect([c.versions.length, c.events, c.changes.map((x) => x.kind)]).toEqual([1, [], ['moved_earlier']]);
  });

  it('changes nothing when the answer says what the record says', () => {
    expect(calendarChanges(facts({ recorded: [{ ...SEPT_RECORDED, dueAt: SEPT_ANSWER.dueAt, dueLocal: '2025-10-24 08:30' }], answered: [SEPT_ANSWER] })))
      .toEqual({ versions: [], events: [], changes: [], unmapped: 0 });
  });

  it('marks a promise a complete calendar no longer lists, its date to come, as removed: alerting, with no event', () => {
    const c = calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [] }));
    expect(c.versions).toMatchObject([{ entry: UID, state: 'removed', dueAt: null, replaces: UID }]);
    expect(c.events).toEqual([]);
    expect(c.changes[0]!.sentence).toBe('September 2025, promised for 2025-10-15 08:30, is no longer on the BLS release calendar; lacuna does not know whether it was moved or dropped');
  });

  it('leaves alone a promise gone from the calendar after its date, or from a calendar read item by item', () => {
    expect(calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [], now: at('2025-10-16T00:00:00Z') })).versions).toEqual([]);
    expect(calendarChanges(facts({ recorded: [SEPT_RECORDED], answered: [], complete: false })).versions).toEqual([]);
  });

  const GOVUK: AnsweredPromise = {
    entry: 'e1553ea5-69e7-443e-a9b5-e5e8210097f5', title: 'Diagnostic imaging dataset for September 2015', period: '2015-09',
    dueAt: at('2016-01-20T09:30:00Z'), dueLocal: '20 January 2016 9:30am', state: 'scheduled', reason: 'Amended after inputting an error.',
    previous: { dueAt: at('2016-01-19T09:30:00Z'), dueLocal: '19 January 2016 9:30am' }, cancelledOn: null,
  };
  const nhs = (over: Partial<CalendarReadFacts>) => facts({ seriesId: 'test.nhs.did', timeZone: 'Europe/London', calendarName: 'GOV.UK statistics announcement', complete: false, now: at('2016-01-16T10:00:00Z'), url: 'https://www.gov.uk/api/content/government/statistics/announcements/x', ...over });

  it('takes the earlier date an announcement states on first sight as the first promise, and the move as a delay', () => {
    const c = calendarChanges(nhs({ answered: [GOVUK] }));
    expect(c.versions.map((v) => [v.dueLocal, v.replaces])).toEqual([['19 January 2016 9:30am', null], ['20 January 2016 9:30am', GOVUK.entry]]);
    expect(c.events[0]).toMatchObject({ kind: 'delayed', title: 'September 2015 release moved from 19 January 2016 9:30am to 20 January 2016 9:30am (GOV.UK statistics announcement)' });
    expect(c.events[0]!.description).toContain('The publisher\'s note: "Amended after inputting an error."');
  });

  it('makes a cancelled announcement a cancelled event with its stated reason, dated the day the publisher gives', () => {
    const recorded: RecordedPromise = { entry: GOVUK.entry, period: '2015-09', dueAt: GOVUK.dueAt, dueLocal: GOVUK.dueLocal, state: 'scheduled' };
    const c = calendarChanges(nhs({ recorded: [recorded], answered: [{ ...GOVUK, state: 'cancelled', reason: 'Official Statistics', previous: null, cancelledOn: '2016-01-17' }] }));
    expect(c.versions).toMatchObject([{ state: 'cancelled', dueAt: null, dueLocal: '20 January 2016 9:30am', reason: 'Official Statistics', replaces: GOVUK.entry }]);
    expect(c.events).toMatchObject([{
      id: 'test.nhs.did.calendar.cancelled.2015-09', kind: 'cancelled', date: '2016-01-17', period: '2015-09', evidenceKind: 'official_notice', confidence: 'verified',
      title: 'Diagnostic imaging dataset for September 2015: release cancelled (GOV.UK statistics announcement)',
    }]);
    expect(c.events[0]!.description).toContain('The publisher\'s stated reason: "Official Statistics".');
    expect(c.changes).toMatchObject([{ kind: 'cancelled', from: '20 January 2016 9:30am', eventId: 'test.nhs.did.calendar.cancelled.2015-09' }]);
    // Seen again, cancelled still: nothing new.
    expect(calendarChanges(nhs({ recorded: [{ ...recorded, state: 'cancelled', dueAt: null }], answered: [{ ...GOVUK, state: 'cancelled', previous: null }] })).versions).toEqual([]);
  });

  it('counts an announcement whose period it cannot tell, and records nothing of it', () => {
    expect(calendarChanges(facts({ answered: [{ ...SEPT_ANSWER, period: null }] }))).toMatchObject({ versions: [], unmapped: 1 });
  });
});
