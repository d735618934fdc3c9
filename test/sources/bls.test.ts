// The BLS plug-in against the real recorded answer (test/fixtures/recorded/bls): the Public Data
// API v2's answer for APU0000701111 (flour, average price) in 2022, recorded 2024-08-19 by OpenBB.
// The failure classes are edited copies of that answer; each test says what it changed.
import { describe, expect, it } from 'vitest';
import { cassette, recorded } from '../replay-server.js';
import { bls, type BlsRef } from '../../src/sources/bls.js';
import { judged, only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext, SourceRequest } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';
import { blockMissingKey } from '../../src/fetch/due.js';
import { parseConfig } from '../../src/app/config.js';
import { sourceSettings } from '../../src/app/settings.js';

const TEXT = recorded('bls/openbb-vcr-APU0000701111-2022.body.json').toString('utf8');
type Row = { year: string; period: string; periodName: string; value: string; footnotes: Record<string, string>[] };
type Body = { status: string; message: string[]; Results?: { series: { seriesID: string; data: Row[] }[] } };

const REF: BlsRef = bls.ref.parse({ series: 'APU0000701111' });
const NOW = Date.parse('2024-08-19T15:39:20Z');
const ctx = (frequency: Frequency = 'monthly', from: string | null = '2022-01', apiKey: string | null = null): SourceContext =>
  ({ baseUrl: 'https://api.bls.gov', frequency, from, apiKey, now: NOW });
/** The answer to the request the recording made (2022 only). */
const ASKED: SourceRequest = { url: 'https://api.bls.gov/publicAPI/v2/timeseries/data/', method: 'POST', json: { seriesid: ['APU0000701111'], startyear: '2022', endyear: '2022' } };
const answer = (text: string, request: SourceRequest = ASKED): SourceAnswer =>
  ({ url: request.url, status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: NOW, elapsedMs: 1, request });
const parse = (text: string, c = ctx()) => bls.parse(answer(text), REF, c);

function edited(edit: (b: Body) => void): string {
  const b = JSON.parse(TEXT) as Body;
  edit(b);
  return JSON.stringify(b);
}
const rows = (b: Body) => b.Results!.series[0]!.data;

function failure(text: string, c = ctx()): SourceError {
  try {
    parse(text, c);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('parse did not throw');
}

describe('bls ref and request', () => {
  it('takes a BLS series id in capitals, nothing else', () => {
    expect(bls.ref.safeParse({ series: 'CUSR0000SA0' }).success).toBe(true);
    expect(bls.ref.safeParse({ series: 'cusr0000sa0' }).success).toBe(false);
    expect(bls.ref.safeParse({ series: 'CUSR0000SA0', startyear: 2020 }).success).toBe(false);
    expect(bls.ref.safeParse({ kind: 'bls', series: 'CUSR0000SA0' }).success).toBe(false);
  });

  it('posts the series id and the years wanted as JSON, as the recorded client did, with the registration key only when one is set', () => {
    expect(bls.request(REF, ctx('monthly', '2022-03'))).toEqual({
      url: 'https://api.bls.gov/publicAPI/v2/timeseries/data/', method: 'POST',
      json: { seriesid: ['APU0000701111'], startyear: '2022', endyear: '2024' },
    });
    expect(bls.request(REF, ctx('monthly', '2022-03', 'KEY')).json).toEqual({ seriesid: ['APU0000701111'], startyear: '2022', endyear: '2024', registrationkey: 'KEY' });
    const recordedRequest = JSON.parse(cassette('bls/openbb-vcr-APU0000701111-2022.cassette.yaml').request.body!) as Record<string, unknown>;
    expect(recordedRequest).toMatchObject({ seriesid: ['APU0000701111'], startyear: 2022, endyear: 2022 });
  });

  it('is read without BLS_API_KEY, which only raises the publisher\'s limits, and takes the key from the environment when set', () => {
    expect(blockMissingKey('bls', {})).toBeNull();
    expect(blockMissingKey('fred', {})).toBe('FRED_API_KEY');
    expect(sourceSettings(parseConfig({ BLS_API_KEY: 'k-123' })).apiKeys.BLS_API_KEY).toBe('k-123');
  });

  it('reads a long history ten years a request without a key and twenty with one', () => {
    expect(bls.request(REF, ctx('monthly', '1990-01')).json).toMatchObject({ startyear: '1990', endyear: '1999' });
    expect(bls.request(REF, ctx('monthly', '1990-01', 'KEY')).json).toMatchObject({ startyear: '1990', endyear: '2009' });
    // The full history (a backfill) goes back as far as one request reaches.
    expect(bls.request(REF, ctx('monthly', null)).json).toMatchObject({ startyear: '2015', endyear: '2024' });
    const first = bls.request(REF, ctx('monthly', '1990-01'));
    const page = bls.parse(answer(TEXT, first), REF, ctx('monthly', '1990-01'));
    expect(page.next?.json).toMatchObject({ startyear: '2000', endyear: '2009' });
    expect(bls.parse(answer(TEXT), REF, ctx()).next?.json).toMatchObject({ startyear: '2023', endyear: '2024' });
  });
});

describe('bls parse', () => {
  it('reads the twelve months of 2022 under the series id, exactly as written, and covers the year', () => {
    const s = only(parse(TEXT));
    expect(s.key).toBe('APU0000701111');
    expect(s.observations).toHaveLength(12);
    expect(s.observations.find((o) => o.period === '2022-12')).toEqual({ period: '2022-12', value: 0.522, valueText: '0.522', obsStatus: null });
    expect(s.observations.find((o) => o.period === '2022-01')?.valueText).toBe('0.424');
    expect(s.covers).toEqual({ from: '2022-01', to: '2022-12' });
    const j = judged(bls, REF, parse(TEXT));
    expect(j.ok && j.observations.length).toBe(12);
  });

  it('reads "-" as a listed period without a figure, never zero, as BLS writes October 2025 (an edited copy: December 2022 made "-" with the lapse footnote)', () => {
    const text = edited((b) => {
      rows(b)[0] = { ...rows(b)[0]!, value: '-', footnotes: [{ code: 'X', text: 'Data unavailable due to the 2025 lapse in appropriations.' }] };
    });
    expect(only(parse(text)).observations.find((o) => o.period === '2022-12')).toEqual({ period: '2022-12', value: null, valueText: '' });
  });

  it('keeps a footnote code as the publisher\'s status of a value (an edited copy: December 2022 marked P, preliminary)', () => {
    const text = edited((b) => { rows(b)[0]!.footnotes = [{ code: 'P', text: 'Preliminary.' }]; });
    expect(only(parse(text)).observations.find((o) => o.period === '2022-12')?.obsStatus).toBe('P');
  });

  it('leaves out the annual average (M13), which is no month (an edited copy: an M13 row added)', () => {
    const text = edited((b) => { rows(b).push({ year: '2022', period: 'M13', periodName: 'Annual', value: '0.496', footnotes: [{}] }); });
    expect(only(parse(text)).observations.map((o) => o.period)).not.toContain('2022-13');
    expect(only(parse(text)).observations).toHaveLength(12);
  });

  it('reads quarters and years for series of those frequencies, and refuses a period of another frequency', () => {
    const quarters = edited((b) => { b.Results!.series[0]!.data = rows(b).slice(0, 4).map((r, i) => ({ ...r, period: `Q0${4 - i}` })); });
    expect(only(parse(quarters, ctx('quarterly', '2022-Q1'))).observations.map((o) => o.period)).toEqual(['2022-Q4', '2022-Q3', '2022-Q2', '2022-Q1']);
    const err = failure(quarters, ctx('monthly'));
    expect(err.code).toBe('shape');
    expect(err.message).toMatch(/period Q04 of 2022 is not a monthly period/);
  });

  it('fails as the publisher\'s error when BLS does not process the request, and never repeats the registration key (an edited copy)', () => {
    const text = edited((b) => {
      b.status = 'REQUEST_NOT_PROCESSED';
      b.message = ['The daily threshold for total number of requests allocated to the user with registration key KEY-1234 has been reached.'];
      delete b.Results;
    });
    const err = failure(text, ctx('monthly', '2022-01', 'KEY-1234'));
    expect(err.code).toBe('publisher_error');
    expect(err.message).toMatch(/REQUEST_NOT_PROCESSED: The daily threshold .* registration key \*\*\* has been reached/);
    expect(err.message).not.toContain('KEY-1234');
  });

  it('fails as the publisher\'s error for a series BLS does not know (an edited copy: no data, and BLS\'s message naming it)', () => {
    const text = edited((b) => {
      b.message = ['Series does not exist for Series APU0000701111'];
      b.Results!.series[0]!.data = [];
    });
    const err = failure(text);
    expect(err.code).toBe('publisher_error');
    expect(err.message).toMatch(/Series does not exist for Series APU0000701111/);
  });

  it('fails as an unknown shape without a Results.series list, or with a value that is not a number (edited copies)', () => {
    expect(failure(edited((b) => { delete b.Results; })).code).toBe('shape');
    const err = failure(edited((b) => { rows(b)[0]!.value = 'n.a.'; }));
    expect([err.code, err.message]).toEqual(['shape', 'BLS APU0000701111: value "n.a." for 2022-12 is not a number']);
  });

  it('fails as malformed on an HTML page or a truncated answer', () => {
    expect(failure('<!DOCTYPE html><html><body>Access Denied</body></html>').code).toBe('malformed');
    expect(failure(TEXT.slice(0, 200)).code).toBe('malformed');
  });

  it('reports another series the answer holds under its own id, so the runner refuses an answer without the one asked for', () => {
    const text = edited((b) => { b.Results!.series[0]!.seriesID = 'APU0000701312'; });
    const j = judged(bls, REF, parse(text));
    expect(j.ok).toBe(false);
    expect(!j.ok && j.code).toBe('absent');
  });
});
