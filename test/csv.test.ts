import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../web/app.js';
import { csvField, csvLines, csvText, neutralise } from '../src/formats/csv.js';
import { at, loadedDb } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const NOW = at('2023-09-01T00:00:00Z');

describe('CSV', () => {
  it('writes one row per expected period with its state, CRLF line ends, exactly', async () => {
    const { db } = loadedDb(NOW, MINI);
    const res = await createApp({ db, now: () => NOW }).request('/series/test.youth.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBeNull();
    // Bundled values were never seen published by lacuna's recorder: no first_seen_at (it was the load time).
    const seen = '';
    expect(await res.text()).toBe(
      'series_id,period,value,state,sdmx_obs_status,first_seen_at,break,revised,backfilled,event_id,sdmx_obs_status_from,country\r\n' +
      `test.youth,2023-03,19.6,disclosed,A,${seen},,,,,lacuna,CN\r\n` +
      `test.youth,2023-04,20.4,disclosed,A,${seen},,,,,lacuna,CN\r\n` +
      `test.youth,2023-05,20.8,disclosed,A,${seen},,,,,lacuna,CN\r\n` +
      `test.youth,2023-06,21.3,disclosed,A,${seen},,,,,lacuna,CN\r\n` +
      'test.youth,2023-07,,suspended,L,,,,,test-youth-suspension,lacuna,CN\r\n' +
      'test.youth,2023-08,,suspended,L,,,,,test-youth-suspension,lacuna,CN\r\n' +
      'test.youth,2023-09,,suspended,L,,,,,test-youth-suspension,lacuna,CN\r\n',
    );
  });

  it('offers the file as a download with ?dl=1', async () => {
    const { db } = loadedDb(NOW, MINI);
    const res = await createApp({ db, now: () => NOW }).request('/series/test.youth.csv?dl=1');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="test.youth.csv"');
  });

  it('answers as lacuna knew it on an earlier date', async () => {
    const { db } = loadedDb(NOW, MINI);
    const text = await (await createApp({ db, now: () => NOW }).request('/series/test.youth.csv?as_of=2023-08-01')).text();
    // On 1 August 2023 July was not yet due and the suspension was not yet announced.
    expect(text).toContain('test.youth,2023-07,,not_due,,,,,,,,CN\r\n');
    expect(text).not.toContain('test.youth,2023-09');
  });

  it('exports the events with every citation, quoting and keeping UTF-8', async () => {
    const { db } = loadedDb(NOW, MINI);
    const text = await (await createApp({ db, now: () => NOW }).request('/events.csv')).text();
    expect(text.split('\r\n')[0]).toBe('event_id,series_id,kind,date,date_approximate,period_from,period_to,title,evidence_kind,confidence,citation_index,citation_url,citation_title,citation_publisher,citation_date,citation_quote,country');
    expect(text).toContain('test-youth-suspension,test.youth,suspension_announced,2023-08-15,,2023-07,2023-11,NBS suspends age-group unemployment rates,official_notice,verified,1,');
    expect(text).toContain('"ecns.cn report of the NBS press conference, 2023-08-15"');
    expect(text).toContain('自今年8月份开始，全国青年人等分年龄段的城镇调查失业率将暂停发布');
  });

  it('neutralises cells a spreadsheet would run as formulas but keeps negative numbers', () => {
    expect(neutralise('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(neutralise('+cmd')).toBe(`'+cmd`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralise('-15.5')).toBe('-15.5');
    expect(neutralise('-1e3')).toBe('-1e3');
    // OWASP's list: a leading tab, carriage return or line feed also starts a formula in some readers.
    for (const c of ['\t=1+1', '\r=1+1', '\n=1+1']) {
      expect(neutralise(c)).toBe(`'${c}`);
      expect(csvLines([[c]])).toMatch(/^"?'/);
    }
    expect(csvText([['a,b', 'say "hi"', '=1+1', 'line\nbreak']])).toBe(`"a,b","say ""hi""",'=1+1,"line\nbreak"\r\n`);
  });

  it('writes every CSV stream with csvLines, the same text as csv-stringify through csvText', () => {
    const cells = [
      '', 'plain', 'cn.nbs.youth_16-24', '2023-07', '21.3', '-15.5', '+2', '1e-3', '.5', 'a b', ' lead', 'trail ',
      'a,b', 'say "hi"', '=1+1', '-cmd', '@SUM(A1)', '\tTab', 'line\nbreak', 'cr\rhere', 'crlf\r\nend', '自今年8月份开始，暂停发布',
      "it's", 'semi;colon', '/path/x', 'http://x.test/a?b=c&d', '-', '--', '+', '0x1F', 'NaN', 'Infinity', '1,000',
    ];
    // Every cell in every position, one row per cell and one row of all of them.
    const rows = [...cells.map((c) => ['id', c, 'x']), cells];
    expect(csvLines(rows)).toBe(csvText(rows));
    for (const c of cells) expect(csvField(c), JSON.stringify(c)).toBe(csvText([[c]]).slice(0, -2));
  });

  it('streams the whole export, every series in id order', async () => {
    const { db } = loadedDb(NOW, MINI);
    const res = await createApp({ db, now: () => NOW }).request('/export.csv?dl=1');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="lacuna-export.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines).toHaveLength(1 + 7 + 1);
    expect(lines.at(-1)).toBe('');
  });
});
