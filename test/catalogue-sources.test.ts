// The catalogue's source blocks and holiday files: what every kind takes (role, since, until),
// several sources in order, business days, and a clear error with file and line for each mistake.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holidayCoverageWarnings, loadCatalogue } from '../src/catalogue/load.js';
import { writeTree, catalogueProblems } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const read = (p: string) => readFileSync(join(MINI, p), 'utf8');
const youth = (insert: string) => read('series/youth.yaml').replace('    values: values/youth.csv\n', `    values: values/youth.csv\n${insert}`);
const DG = 'kind: nbs_dg, cid: ee3b7046b390415b9b7745e3d16f6052, indicator: bd6da1abb26046c2acb38aa701d90e86, root: e69d8b62991649d4b278e0445bcc0cd0';
const HOLIDAYS = `id: cn-exchanges
title: test
citations:
  sse-2024: { url: https://meimuju.com/news/10252.html, title: 关于上海证券交易所2024年部分节假日休市安排的通知, publisher: Shanghai Stock Exchange }
dates:
  - { date: 2024-02-09, name: 春节休市, citation: sse-2024 }
`;
const files = (series: string, extra: Record<string, string> = {}) => writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/youth.yaml': series, 'values/youth.csv': read('values/youth.csv'), ...extra });


describe('source blocks', () => {
  it('take a role and a window, written as periods of the series and stored in canonical form', () => {
    const c = loadCatalogue(files(youth(`    source: { ${DG}, role: secondary, since: 202312, until: 2024-06 }\n`)));
    expect(c.series[0]!.source).toEqual({
      kind: 'nbs_dg', cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator: 'bd6da1abb26046c2acb38aa701d90e86', root: 'e69d8b62991649d4b278e0445bcc0cd0',
      role: 'secondary', since: '2023-12', until: '2024-06',
    });
  });

  it('come several, in order, under sources', () => {
    const c = loadCatalogue(files(youth(`    sources:\n      - { ${DG} }\n      - { kind: nbs, db: hgyd, zb: A0E0105, role: mirror }\n`)));
    expect((c.series[0]!.source as { kind: string }[]).map((b) => b.kind)).toEqual(['nbs_dg', 'nbs']);
  });

  it('refuse a role that is not one, a window that is not a period or runs backwards, both source and sources, and a bad block in a list, each with its line', () => {
    expect(catalogueProblems(files(youth(`    source: { ${DG}, role: copy }\n`)))).toEqual([
      'series/youth.yaml:15: series.0.source.role: Invalid option: expected one of "official"|"secondary"|"mirror"',
    ]);
    expect(catalogueProblems(files(youth(`    source: { ${DG}, since: 2023-13 }\n`)))).toEqual(['series/youth.yaml:15: series test.youth: since "2023-13" is not a monthly period']);
    expect(catalogueProblems(files(youth(`    source: { ${DG}, since: 2024-01, until: 2023-12 }\n`)))).toEqual(['series/youth.yaml:15: series test.youth: until 2023-12 is before since 2024-01']);
    expect(catalogueProblems(files(youth(`    source: { ${DG} }\n    sources: [{ ${DG} }]\n`)))).toEqual(['series/youth.yaml:16: series.0.sources: give either source or sources, not both']);
    expect(catalogueProblems(files(youth(`    sources:\n      - { ${DG} }\n      - { kind: nbs_dg, cid: ee3b7046b390415b9b7745e3d16f6052, root: e69d8b62991649d4b278e0445bcc0cd0 }\n`))))
      .toEqual(['series/youth.yaml:17: series test.youth: give indicator (an id) or indicator_name, or both']);
  });
});

describe('business days', () => {
  const daily = (release: string) => `series:
  - id: test.flows
    publisher: nbs
    title: Daily flows (test)
    unit: CNY
    frequency: daily
    grid_from: 2024-02-01
    release: { lag_days: 1, grace_days: 3${release} }
`;
  it('name a holiday file whose dates reach the series\' release rule', () => {
    const c = loadCatalogue(writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/flows.yaml': daily(', business_days: cn-exchanges'), 'holidays/cn-exchanges.yaml': HOLIDAYS }));
    expect(c.series[0]!.release.businessDays).toEqual({ calendar: 'cn-exchanges', holidays: ['2024-02-09'], covers: { from: '2024-01-01', to: '2024-12-31' } });
  });

  it('warn, a month ahead, that a holiday file stops speaking for its series\' days', () => {
    const c = loadCatalogue(writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/flows.yaml': daily(', business_days: cn-exchanges'), 'holidays/cn-exchanges.yaml': HOLIDAYS }));
    expect(holidayCoverageWarnings(c, Date.parse('2024-11-15T00:00:00Z'))).toEqual([]);
    expect(holidayCoverageWarnings(c, Date.parse('2024-12-15T00:00:00Z'))).toEqual([
      'holidays/cn-exchanges.yaml lists closures up to 2024-12-31: the days after it of 1 daily series (test.flows) are not judged until it lists the next year\'s, from the publisher\'s notice',
    ]);
  });

  it('refuse an unknown holiday file, and business days on a series that is not daily', () => {
    const dir = writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/flows.yaml': daily(', business_days: us-fed') });
    expect(catalogueProblems(dir)).toEqual(['series/flows.yaml:8: series test.flows: unknown holiday file "us-fed" (known: none; add catalogue/holidays/us-fed.yaml)']);
    const monthly = read('series/youth.yaml').replace('grace_days: 3', 'grace_days: 3\n      business_days: cn-exchanges');
    expect(catalogueProblems(files(monthly, { 'holidays/cn-exchanges.yaml': HOLIDAYS }))).toEqual(['series/youth.yaml:14: series test.youth: business_days applies to daily series, not monthly']);
  });

  it('refuse a holiday file whose date cites nothing it lists, repeats a date, or is named after another id', () => {
    const bad = HOLIDAYS.replace('id: cn-exchanges', 'id: cn').replace('citation: sse-2024 }', 'citation: sse-2023 }\n  - { date: 2024-02-09, name: again, citation: sse-2024 }');
    expect(catalogueProblems(writeTree({ 'publishers.yaml': read('publishers.yaml'), 'holidays/cn-exchanges.yaml': bad }))).toEqual([
      'holidays/cn-exchanges.yaml:1: the id "cn" must be the file\'s name, "cn-exchanges"',
      'holidays/cn-exchanges.yaml:6: unknown citation "sse-2023" (the file cites: sse-2024)',
      'holidays/cn-exchanges.yaml:7: duplicate date 2024-02-09',
    ]);
  });

  it('bundled: every date of every holiday file cites a notice, and the catalogue loads', () => {
    const c = loadCatalogue(join(import.meta.dirname, '..', 'catalogue'));
    expect(c.series.length).toBe(78);
  });
});
