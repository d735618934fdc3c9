// The generic table plug-in (CSV, JSON, xlsx with a declared mapping). No recorded SAFE answer
// exists (test/fixtures/recorded/README.md), so the tables here are built in the tests, and every
// number in them is copied from the bundled catalogue values, never invented:
// - catalogue/values/cn_fx_reserves_monthly_akshare.csv (cn.safe.fx_reserves.monthly, USD billion):
//   2024-09 3316.3669999999997, 2024-10 3261.05, 2024-11 3265.8599999999997, 2025-10 3343.343,
//   2025-11 3346.3720000000003, 2025-12 3357.869, 2026-01 3399.078, 2026-02 3427.807.
// - that series' notes quote SAFE's own 亿美元 figures for 2026-01 and 2026-02: 33990.78 and 34278.07.
// - catalogue/values/cn_total_reserves_excl_gold_fred.csv (USD million): 2024-09 3381380.83628321998,
//   2024-10 3324874.87733518984; 1978-03 2645.00000000000, 1978-06 2612.00000000000.
// - catalogue/values/cn_fx_reserves_annual_nbs.csv (USD 100 million): 2022 31276.91, 2023 32379.77.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { table, tableRef, withBase, xlsxToRows, type TableRef } from '../../src/sources/table.js';
import { failure, judged, only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const URL_ = 'https://www.safe.gov.cn/safe/file/reserves.csv';
function ref(extra: Record<string, unknown> = {}): TableRef {
  return tableRef.parse({ url: URL_, format: 'csv', period_column: '月份', value_column: '外汇储备', ...extra });
}
function ctx(frequency: Frequency = 'monthly', baseUrl = ''): SourceContext {
  return { baseUrl, frequency, from: null, apiKey: null, now: 0 };
}
function answer(text: string, body: Buffer = Buffer.from(text)): SourceAnswer {
  return { url: URL_, status: 200, headers: {}, body, text, receivedAt: 0, elapsedMs: 1 };
}
const parse = (text: string, r: TableRef, f: Frequency = 'monthly') => table.parse(answer(text), r, ctx(f));
/** The table's one series: its value column. */
const read = (text: string, r: TableRef, f: Frequency = 'monthly') => only(parse(text, r, f));
/** The SourceError a parse throws (fails the test when it does not throw one). */
async function asyncFailure(run: () => Promise<unknown>): Promise<SourceError> {
  const e = await run().then(() => new Error('did not throw'), (e: unknown) => e);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

const MONTHS = '月份,外汇储备\n202510,3343.343\n202511,3346.3720000000003\n202512,3357.869\n202601,3399.078\n';

describe('the values these tests use', () => {
  it('are the bundled catalogue values, copied exactly', () => {
    const rows = (file: string) => readFileSync(join(import.meta.dirname, '../../catalogue/values', file), 'utf8');
    const monthly = rows('cn_fx_reserves_monthly_akshare.csv');
    for (const pv of ['2024-09,3316.3669999999997', '2024-10,3261.05', '2024-11,3265.8599999999997', '2025-10,3343.343',
      '2025-11,3346.3720000000003', '2025-12,3357.869', '2026-01,3399.078', '2026-02,3427.807']) expect(monthly).toContain(`,${pv},`);
    expect(readFileSync(join(import.meta.dirname, '../../catalogue/series/safe-reserves.yaml'), 'utf8')).toMatch(/33990\.78 and 34278\.07/);
    const fred = rows('cn_total_reserves_excl_gold_fred.csv');
    for (const pv of ['2024-09,3381380.83628321998', '2024-10,3324874.87733518984', '1978-03,2645.00000000000', '1978-06,2612.00000000000']) expect(fred).toContain(`,${pv},`);
    const annual = rows('cn_fx_reserves_annual_nbs.csv');
    for (const pv of ['2022,31276.91', '2023,32379.77']) expect(annual).toContain(`,${pv},`);
  });
});

describe('table ref and request', () => {
  it('reads the YAML mapping and rejects a key that does not fit the format', () => {
    const r = ref({ delimiter: ';', header_row: 2, period_format: 'YYYYMM', scale: 0.1, filter: { column: '年份', equals: 2023 } });
    expect(r.filter).toEqual({ column: '年份', equals: '2023' });
    expect(tableRef.safeParse({ url: URL_, format: 'csv', rows_path: 'data', period_column: 'a', value_column: 'b' }).success).toBe(false);
    expect(tableRef.safeParse({ url: URL_, format: 'json', sheet: 1, period_column: 'a', value_column: 'b' }).success).toBe(false);
    expect(tableRef.safeParse({ url: URL_, format: 'csv', period_column: 'a', value_column: 'b', period_format: 'MM/YYYY' }).success).toBe(false);
    expect(tableRef.safeParse({ url: 'ftp://x/y', format: 'csv', period_column: 'a', value_column: 'b' }).success).toBe(false);
  });

  it("asks for the ref's URL, unless the base URL names another origin, which then replaces it", () => {
    expect(table.defaultBaseUrl).toBeNull();
    expect(table.request(ref(), ctx('monthly', '')).url).toBe(URL_);
    expect(table.request(ref(), ctx('monthly', 'https://www.safe.gov.cn')).url).toBe(URL_);
    expect(table.request(ref({ url: `${URL_}?v=2` }), ctx('monthly', 'http://127.0.0.1:4000/')).url)
      .toBe('http://127.0.0.1:4000/safe/file/reserves.csv?v=2');
    expect(withBase(URL_, 'http://mirror.example/safe')).toBe('http://mirror.example/safe/safe/file/reserves.csv');
    expect(failure(() => withBase(URL_, 'not a url')).code).toBe('config');
  });
});

describe('table CSV', () => {
  it('reads periods and values from the named columns, as the whole table', () => {
    const page = read(MONTHS, ref({ period_format: 'YYYYMM' }));
    expect(page.key).toBe('外汇储备');
    expect(page.covers).toBe('all');
    expect(page.observations).toEqual([
      { period: '2025-10', value: 3343.343, valueText: '3343.343' },
      { period: '2025-11', value: 3346.3720000000003, valueText: '3346.3720000000003' },
      { period: '2025-12', value: 3357.869, valueText: '3357.869' },
      { period: '2026-01', value: 3399.078, valueText: '3399.078' },
    ]);
  });

  it('reads "", "-", "…", ".." and "NA" as missing values, never as zero', () => {
    const text = '月份,外汇储备\n2025-10,\n2025-11,-\n2025-12,…\n2026-01,..\n2026-02,NA\n';
    const r = ref({ period_format: 'YYYY-MM' });
    const page = read(text, r);
    expect(page.observations.map((o) => [o.period, o.value, o.valueText])).toEqual([
      ['2025-10', null, ''], ['2025-11', null, ''], ['2025-12', null, ''], ['2026-01', null, ''], ['2026-02', null, ''],
    ]);
    expect(judged(table, r, parse(text, r))).toMatchObject({ ok: true, valueless: true, gaps: 5 });
  });

  it('parses thousands separators and applies the scale (SAFE 亿美元 to USD billion) to the value and its text alike', () => {
    const text = '月份,外汇储备\n2026年1月,"33,990.78"\n2026年2月,"34,278.07"\n';
    const page = read(text, ref({ period_format: 'YYYY年MM月', scale: 0.1 }));
    // The text is what downloads show: in the series' unit, with the publisher's digits and no float noise.
    expect(page.observations).toEqual([
      { period: '2026-01', value: 3399.078, valueText: '3399.078' },
      { period: '2026-02', value: 3427.807, valueText: '3427.807' },
    ]);
    expect(read('月份,外汇储备\n2026年1月,1234\n', ref({ period_format: 'YYYY年MM月', scale: 0.001 })).observations).toEqual([{ period: '2026-01', value: 1.234, valueText: '1.234' }]);
    expect(read('月份,外汇储备\n2026年1月,1.5\n', ref({ period_format: 'YYYY年MM月', scale: 1000 })).observations).toEqual([{ period: '2026-01', value: 1500, valueText: '1500.0' }]);
    expect(read('月份,外汇储备\n2026年1月,"1,354.49"\n', ref({ period_format: 'YYYY年MM月' })).observations).toEqual([{ period: '2026-01', value: 1354.49, valueText: '1,354.49' }]);
  });

  it('honours the delimiter, a byte-order mark, a header below title lines and spaces in header names', () => {
    const text = '\uFEFF国家外汇管理局\n单位：十亿美元\n月份; 外汇\u3000储备 \n2026-01;3399.078\n2026-02;3427.807\n';
    const page = read(text, ref({ delimiter: ';', header_row: 3, value_column: '外汇 储备' }));
    expect(page.observations.map((o) => [o.period, o.value])).toEqual([['2026-01', 3399.078], ['2026-02', 3427.807]]);
  });

  it('keeps only the rows the filter names', () => {
    const text = '指标,月份,数值\n外汇储备,2024-09,3316.3669999999997\n不含黄金的储备总额,2024-09,3381380.83628321998\n'
      + '外汇储备,2024-10,3261.05\n不含黄金的储备总额,2024-10,3324874.87733518984\n';
    const page = read(text, ref({ value_column: '数值', filter: { column: '指标', equals: '外汇储备' } }));
    expect(page.key).toBe('数值 (指标 = 外汇储备)');
    expect(page.observations.map((o) => [o.period, o.value])).toEqual([['2024-09', 3316.3669999999997], ['2024-10', 3261.05]]);
  });

  it('reads annual and quarterly period formats', () => {
    const annual = read('年份,外汇储备\n2022年,31276.91\n2023年,32379.77\n', ref({ period_column: '年份', period_format: 'YYYY' }), 'annual');
    expect(annual.observations.map((o) => [o.period, o.value])).toEqual([['2022', 31276.91], ['2023', 32379.77]]);
    // Quarter-end months of the FRED file, written as quarters to exercise the format.
    const quarterly = read('季度,外汇储备\n1978Q1,2645.00000000000\n1978-Q2,2612.00000000000\n', ref({ period_column: '季度', period_format: 'YYYYQn' }), 'quarterly');
    expect(quarterly.observations).toEqual([
      { period: '1978-Q1', value: 2645, valueText: '2645.00000000000' },
      { period: '1978-Q2', value: 2612, valueText: '2612.00000000000' },
    ]);
  });

  it('skips note and spacer rows that have neither a period nor a value', () => {
    const text = '月份,外汇储备\n2026-01,3399.078\n,\n注：数据来源于国家外汇管理局,\n';
    expect(read(text, ref()).observations).toEqual([{ period: '2026-01', value: 3399.078, valueText: '3399.078' }]);
  });

  it('names the columns of a table without the value column, which the runner refuses as absent', () => {
    const r = ref({ value_column: '黄金储备' });
    expect(judged(table, r, parse(MONTHS, r))).toEqual({ ok: false, code: 'absent', message: 'the answer does not hold 黄金储备: it holds 外汇储备' });
  });

  it('rejects a missing period column, naming it and listing the columns there are', () => {
    const e = failure(() => parse(MONTHS, ref({ period_column: '日期' })));
    expect(e.code).toBe('shape');
    expect(e.message).toContain('no column "日期"');
    expect(e.message).toContain('"月份", "外汇储备"');
  });

  it('rejects a period that appears twice', () => {
    const e = failure(() => parse('月份,外汇储备\n2026-01,3399.078\n2026-01-31,3399.078\n', ref()));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/period 2026-01 appears twice/);
  });

  it('rejects a period of the wrong frequency, naming it', () => {
    const e = failure(() => parse('年份,外汇储备\n2023,32379.77\n', ref({ period_column: '年份' })));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/period "2023" is not a monthly period/);
  });

  it('rejects a period not written in the declared format', () => {
    const e = failure(() => parse('月份,外汇储备\n2026-01,3399.078\n', ref({ period_format: 'YYYYMM' })));
    expect(e.message).toMatch(/period "2026-01" is not written YYYYMM/);
  });

  it('rejects a value that is not a number', () => {
    const e = failure(() => parse('月份,外汇储备\n2026-01,3399.078亿\n', ref()));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/value "3399.078亿" for 2026-01/);
  });

  it('fails on an empty answer, an HTML page, a truncated quote and a header without rows', () => {
    expect(failure(() => parse('', ref())).code).toBe('malformed');
    const html = failure(() => parse('<!DOCTYPE html><html><body>404</body></html>', ref()));
    expect([html.code, html.message.includes('HTML page')]).toEqual(['malformed', true]);
    const cut = failure(() => parse('月份,外汇储备\n2026-01,"3399.0', ref()));
    expect([cut.code, /Quote Not Closed/i.test(cut.message)]).toEqual(['malformed', true]);
    expect(judged(table, ref(), parse('月份,外汇储备\n', ref()))).toMatchObject({ ok: false, code: 'empty' });
  });

  it('names the rows there are when the filter matches none, which the runner refuses as absent', () => {
    const r = ref({ filter: { column: '国家', equals: '日本' } });
    expect(judged(table, r, parse('国家,月份,外汇储备\n中国,2026-01,3399.078\n', r))).toEqual({
      ok: false, code: 'absent', message: 'the answer does not hold 外汇储备 (国家 = 日本): it holds 外汇储备 (国家 = 中国)',
    });
  });
});

describe('table JSON', () => {
  const JSON_REF = (extra: Record<string, unknown> = {}) => ref({ format: 'json', rows_path: 'data.items', period_column: 'month', value_column: 'reserves', ...extra });
  const DOC = { data: { items: [{ month: '2026-01', reserves: 3399.078 }, { month: '2026-02', reserves: 3427.807 }, { month: '2026-03', reserves: null }] } };

  it('reads the array of objects at rows_path, numbers and nulls included', () => {
    const page = read(JSON.stringify(DOC), JSON_REF());
    expect(page.observations).toEqual([
      { period: '2026-01', value: 3399.078, valueText: '3399.078' },
      { period: '2026-02', value: 3427.807, valueText: '3427.807' },
      { period: '2026-03', value: null, valueText: '' },
    ]);
  });

  it('reads a bare array when there is no rows_path, with numeric periods', () => {
    const page = read(JSON.stringify([{ month: 202601, reserves: '3399.078' }]), JSON_REF({ rows_path: undefined, period_format: 'YYYYMM' }));
    expect(page.observations).toEqual([{ period: '2026-01', value: 3399.078, valueText: '3399.078' }]);
  });

  it('fails when rows_path leads nowhere or not to a list, naming what is there', () => {
    const e = failure(() => parse(JSON.stringify({ data: { rows: [] } }), JSON_REF()));
    expect([e.code, e.message]).toEqual(['shape', 'table: no "items" on the way to rows_path "data.items"; found "rows"']);
    expect(failure(() => parse(JSON.stringify({ data: { items: 'none' } }), JSON_REF())).message).toMatch(/is not a list of objects/);
  });

  it('fails on truncated JSON and on an HTML page', () => {
    expect(failure(() => parse(JSON.stringify(DOC).slice(0, 50), JSON_REF())).code).toBe('malformed');
    expect(failure(() => parse('<html><body>Error</body></html>', JSON_REF())).message).toMatch(/not JSON \(an HTML page\)/);
  });
});

describe('table xlsx', () => {
  const XLSX_REF = (extra: Record<string, unknown> = {}) => ref({ format: 'xlsx', sheet: '外汇储备', header_row: 2, period_column: '月份', ...extra });

  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['国家外汇管理局']);
    const ws = wb.addWorksheet('外汇储备');
    ws.addRow(['中国外汇储备（十亿美元）']);
    ws.addRow(['月份', { richText: [{ text: '外汇' }, { text: '储备' }] }]);
    // Excel date cells, dated the month's last day as spreadsheets often are.
    ws.addRow([new Date(Date.UTC(2025, 11, 31)), 3357.869]);
    ws.addRow([new Date(Date.UTC(2026, 0, 31)), 3399.078]);
    ws.addRow([new Date(Date.UTC(2026, 1, 28)), null]);
    ws.addRow(['注：2026年2月数据待公布']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('turns the sheet into rows from the header row, dates as days', async () => {
    const rows = await xlsxToRows(await workbook(), '外汇储备', 2);
    expect(rows).toEqual([['月份', '外汇储备'], ['2025-12-31', '3357.869'], ['2026-01-31', '3399.078'], ['2026-02-28', ''], ['注：2026年2月数据待公布', '']]);
    expect((await xlsxToRows(await workbook(), 2, 2))[0]).toEqual(['月份', '外汇储备']);
  });

  it('prepares the answer as CSV text, then parses date cells into the series\' periods', async () => {
    const body = await workbook();
    const prepared = await table.prepare(answer(body.toString('utf8'), body), XLSX_REF());
    expect(prepared.body).toBe(body);
    const page = only(table.parse(prepared, XLSX_REF(), ctx('monthly')));
    expect(page.observations).toEqual([
      { period: '2025-12', value: 3357.869, valueText: '3357.869' },
      { period: '2026-01', value: 3399.078, valueText: '3399.078' },
      { period: '2026-02', value: null, valueText: '' },
    ]);
    expect(page.covers).toBe('all');
  });

  it('leaves CSV and JSON answers unprepared', async () => {
    const a = answer(MONTHS);
    expect(await table.prepare(a, ref())).toBe(a);
  });

  it('refuses to parse an xlsx answer that was not prepared', async () => {
    const body = await workbook();
    const e = failure(() => table.parse(answer(body.toString('latin1'), body), XLSX_REF(), ctx()));
    expect([e.code, e.message]).toEqual(['config', 'table: an xlsx answer must go through table.prepare before parse']);
  });

  it('fails on a missing sheet, listing the sheets there are', async () => {
    const e = await asyncFailure(async () => xlsxToRows(await workbook(), '黄金储备', 1));
    expect([e.code, e.message]).toEqual(['shape', 'table: no sheet "黄金储备" in the workbook; its sheets: "说明", "外汇储备"']);
    expect((await asyncFailure(async () => xlsxToRows(await workbook(), 3, 1))).code).toBe('shape');
    expect((await asyncFailure(async () => xlsxToRows(await workbook(), 2, 40))).message).toMatch(/fewer than header_row 40/);
  });

  it('fails on an empty body, an HTML page, an old .xls workbook and a truncated workbook', async () => {
    expect((await asyncFailure(() => xlsxToRows(Buffer.alloc(0)))).code).toBe('malformed');
    const html = await asyncFailure(() => xlsxToRows(Buffer.from('<!DOCTYPE html><title>404</title>')));
    expect([html.code, html.message.includes('(an HTML page)')]).toEqual(['malformed', true]);
    const xls = await asyncFailure(() => xlsxToRows(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(64)])));
    expect(xls.message).toMatch(/old-style \.xls/);
    const body = await workbook();
    const cut = await asyncFailure(() => xlsxToRows(body.subarray(0, Math.floor(body.length / 2))));
    expect([cut.code, cut.message.startsWith('table: not a readable Excel workbook')]).toEqual(['malformed', true]);
  });
});

// Real recorded answers (test/fixtures/recorded/README.md): World Bank's bulk CSV of total reserves,
// one row per country and one column per year (a wide table), and an SSE northbound answer of one day.
const recordedText = (file: string) => readFileSync(join(import.meta.dirname, '../fixtures/recorded', file), 'utf8');
const WORLD_BANK = 'table/worldbank-bulk-FI.RES.TOTL.CD-wide.csv';
const SSE = 'sse/worldmonitor-sse-northbound-daily-20260804.json';

describe('table wide layout (periods across columns)', () => {
  const WIDE = (extra: Record<string, unknown> = {}) => tableRef.parse({
    url: 'https://api.worldbank.org/v2/en/indicator/FI.RES.TOTL.CD?downloadformat=csv', format: 'csv', header_row: 5,
    layout: 'wide', row: { column: 'Country Code', equals: 'CHN' }, period_format: 'YYYY', ...extra,
  });

  it("reads one row's cells under the period headers, empty cells as gaps, other headers as labels", () => {
    const page = read(recordedText(WORLD_BANK), WIDE(), 'annual');
    expect(page.key).toBe('Country Code = CHN');
    expect(page.covers).toBe('all');
    expect(page.observations).toHaveLength(63);
    expect(page.observations[0]).toEqual({ period: '1960', value: null, valueText: '' });
    expect(page.observations.filter((o) => o.value === null).map((o) => o.period)).toEqual(Array.from({ length: 17 }, (_, i) => String(1960 + i)));
    expect(page.observations.find((o) => o.period === '1977')).toEqual({ period: '1977', value: 4456360000, valueText: '4456360000' });
    expect(page.observations.at(-1)).toEqual({ period: '2022', value: 3306839412813.78, valueText: '3306839412813.78' });
  });

  it('names the rows there are when the row asked for is missing, which the runner refuses as absent', () => {
    const r = WIDE({ row: { column: 'Country Code', equals: 'ZZZ' } });
    const verdict = judged(table, r, parse(recordedText(WORLD_BANK), r, 'annual'));
    expect(verdict).toMatchObject({ ok: false, code: 'absent' });
    expect((verdict as { message: string }).message).toMatch(/^the answer does not hold Country Code = ZZZ: it holds Country Code = ABW, Country Code = AFE, .* and 261 more$/);
  });

  it('fails when no header is a period in the declared format, naming the headers', () => {
    const e = failure(() => parse(recordedText(WORLD_BANK), WIDE({ period_format: 'YYYYMM' }), 'monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/no column header is a monthly period written YYYYMM; its columns: "Country Name", "Country Code"/);
  });

  it('needs a row and refuses the long layout\'s columns; the long layout needs its columns and refuses a row', () => {
    const base = { url: URL_, format: 'csv', period_format: 'YYYY' };
    const problems = (r: object) => {
      const p = tableRef.safeParse(r);
      return p.success ? [] : p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ ...base, layout: 'wide' })).toEqual(['row: layout wide needs row']);
    expect(problems({ ...base, layout: 'wide', row: { column: 'a', equals: 'b' }, value_column: 'v' })).toEqual(['value_column: value_column does not apply to layout wide']);
    expect(problems({ ...base, period_column: 'p', value_column: 'v', row: { column: 'a', equals: 'b' } })).toEqual(['row: row does not apply to layout long']);
    expect(problems({ ...base, period_column: 'p' })).toEqual(['value_column: layout long needs value_column']);
  });
});

describe('table answers that hold only the periods they list', () => {
  const SSE_REF = (extra: Record<string, unknown> = {}) => tableRef.parse({
    url: 'https://query.sse.com.cn/commonSoaQuery.do?sqlId=FW_HGTZL_HGTSCSJ_HGTCJGK_MRTJ&tradeDate=', format: 'json', rows_path: 'result',
    period_column: 'tradeDate', period_format: 'YYYYMMDD', value_column: 'totalAmount', covers: 'listed', ...extra,
  });

  it('reads YYYYMMDD dates and thousands separators, and covers only the day listed', () => {
    const page = read(recordedText(SSE), SSE_REF(), 'daily');
    expect(page.observations).toEqual([{ period: '2026-08-04', value: 1354.49, valueText: '1,354.49' }]);
    expect(page.covers).toEqual({ from: '2026-08-04', to: '2026-08-04' });
    // Without `covers: listed` the same answer would claim the whole history and withdraw every other day.
    expect(read(recordedText(SSE), SSE_REF({ covers: undefined }), 'daily').covers).toBe('all');
  });

  it('names the columns when the value column is gone (the buy and sell split is not in the answer)', () => {
    const r = SSE_REF({ value_column: 'buyAmount' });
    expect(judged(table, r, parse(recordedText(SSE), r, 'daily'))).toEqual({
      ok: false, code: 'absent', message: 'the answer does not hold buyAmount: it holds totalVolume, totalAmount, etfTotalAmount',
    });
  });
});

describe('days written as timestamps (Eastmoney\'s northbound history)', () => {
  const ROWS = recordedText('eastmoney/rust-stock-north-history-001.json');
  const ref = tableRef.parse({
    url: 'https://datacenter-web.eastmoney.com/api/data/v1/get?reportName=RPT_MUTUAL_DEAL_HISTORY', format: 'json', rows_path: 'result.data',
    period_column: 'TRADE_DATE', period_format: 'YYYY-MM-DD', value_column: 'DEAL_AMT', filter: { column: 'MUTUAL_TYPE', equals: '001' }, covers: 'listed',
  });

  it('reads "2026-06-11 00:00:00" as the day 2026-06-11, and a null as a listed gap', () => {
    const page = read(ROWS, ref, 'daily');
    expect(page.observations).toEqual([
      { period: '2026-06-11', value: 159596.74, valueText: '159596.74' },
      { period: '2026-06-10', value: 166385.91, valueText: '166385.91' },
      { period: '2026-06-09', value: null, valueText: '' },
    ]);
    expect(page.covers).toEqual({ from: '2026-06-09', to: '2026-06-11' });
  });

  it('refuses a time of day other than midnight rather than guess the day', () => {
    const noon = ROWS.replace('2026-06-11 00:00:00', '2026-06-11 12:30:00');
    expect(failure(() => parse(noon, ref, 'daily')).message).toMatch(/period "2026-06-11 12:30:00" is not written YYYY-MM-DD/);
  });
});

describe('table failures on SSE\'s answer (edited copies of the recorded one, as each test says)', () => {
  const r = tableRef.parse({
    url: 'https://query.sse.com.cn/commonSoaQuery.do?sqlId=FW_HGTZL_HGTSCSJ_HGTCJGK_MRTJ&tradeDate=', format: 'json', rows_path: 'result',
    period_column: 'tradeDate', period_format: 'YYYYMMDD', value_column: 'totalAmount', covers: 'listed',
  });
  const text = recordedText(SSE);

  it('fails on a truncated answer, an HTML page and an empty body', () => {
    expect(failure(() => parse(text.slice(0, 300), r, 'daily')).code).toBe('malformed');
    expect(failure(() => parse('<html><head><title>403 Forbidden</title></head></html>', r, 'daily')).message).toMatch(/not JSON \(an HTML page\)/);
    expect(failure(() => parse('', r, 'daily')).code).toBe('malformed');
  });

  it('calls result: null (how SSE answers a query it does not know) a shape it cannot read, and an empty result empty', () => {
    const unknown = text.replace(/"result":\[[^\]]*\]/, '"result":null');
    expect(unknown).not.toBe(text);
    expect(failure(() => parse(unknown, r, 'daily')).message).toBe('table: rows_path "result" is not a list of objects');
    const none = text.replace(/"result":\[[^\]]*\]/, '"result":[]');
    expect(judged(table, r, parse(none, r, 'daily'))).toMatchObject({ ok: false, code: 'empty' });
  });
});

describe('table request options', () => {
  it('sends the method, body and headers the ref declares; header names in lower case', () => {
    const r = tableRef.parse({
      url: 'https://www.chinabond.com.cn/cbiw/GetMonthReport/GetDataByte', format: 'xlsx', period_column: 'a', value_column: 'b',
      method: 'POST', form: { sBbly: 202607, sCode: '06' }, headers: { Referer: 'https://www.chinabond.com.cn/zzsj/zzsj_tjsj/tjsj_tjyb/' },
    });
    expect(table.request(r, ctx())).toEqual({
      url: 'https://www.chinabond.com.cn/cbiw/GetMonthReport/GetDataByte', method: 'POST', form: { sBbly: '202607', sCode: '06' },
      headers: { referer: 'https://www.chinabond.com.cn/zzsj/zzsj_tjsj/tjsj_tjyb/' },
    });
    const json = tableRef.parse({ url: URL_, format: 'json', period_column: 'a', value_column: 'b', json: { dts: ['202605MM'] } });
    expect(table.request(json, ctx()).json).toEqual({ dts: ['202605MM'] });
  });

  it('refuses two bodies, a body with GET, a header lacuna sets itself, a header with a line break and a credential', () => {
    const problems = (extra: object) => {
      const p = tableRef.safeParse({ url: URL_, format: 'json', period_column: 'a', value_column: 'b', ...extra });
      return p.success ? [] : p.error.issues.map((i) => i.message);
    };
    expect(problems({ form: { a: '1' }, json: { a: 1 } })).toEqual(['a source sends a form or a JSON body, not both']);
    expect(problems({ method: 'GET', form: { a: '1' } })).toEqual(['a body (form or json) is sent with POST, not GET']);
    expect(problems({ headers: { 'Content-Type': 'text/plain' } })).toEqual(["header content-type is set by lacuna's HTTP client, not by a source block"]);
    expect(problems({ headers: { Referer: 'https://a/\r\nX-Evil: 1' } })).toEqual(['a header value has no line break']);
    expect(problems({ headers: { Cookie: 'session=1' } })).toEqual(['header cookie carries a credential, which belongs in the environment, not in the catalogue']);
  });
});
