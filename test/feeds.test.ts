// The Atom feed of alerts: well-formed Atom 1.0, one entry per message in the order given, with
// stable ids, links, times, categories, and text escaped so that a title with "<" or "&" reads
// back as written.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../src/alerts/types.js';
import { atomFeed } from '../web/feeds.js';

const SITE = 'https://lacuna.example.org';
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const YOUTH_PAGE = `${SITE}/series/${YOUTH}`;
const NBS = { id: 'nbs', name: 'National Bureau of Statistics of China' };

/** NBS suspends the youth rate: detected the morning of the July 2023 press conference. */
const suspended: AlertMessage = {
  flipId: 41,
  kind: 'status',
  at: Date.UTC(2023, 7, 15, 2, 30),
  title: 'Suspended: Urban surveyed unemployment rate, ages 16-24 (old basis, including students)',
  text: 'An announced suspension covers July 2023. July 2023 was due by 2023-08-24. '
    + 'NBS suspends the age-group urban unemployment rates from the July 2023 data (2023-08-15): '
    + 'https://icebox.rexun.cn/yaowen/2023/0815/0815113189.html',
  series: { id: YOUTH, title: 'Urban surveyed unemployment rate, ages 16-24 (old basis, including students)', frequency: 'monthly', topics: ['labour', 'youth'] },
  publisher: NBS,
  from: 'current',
  to: 'suspended',
  resumed: false,
  breakAt: null,
  period: '2023-07',
  dueAt: Date.UTC(2023, 7, 24, 2, 0),
  events: [{
    id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15',
    kind: 'suspension_announced',
    title: 'NBS suspends the age-group urban unemployment rates from the July 2023 data',
    date: '2023-08-15',
    url: 'https://icebox.rexun.cn/yaowen/2023/0815/0815113189.html',
  }],
  links: { page: YOUTH_PAGE, chart: `${YOUTH_PAGE}#chart`, csv: `${YOUTH_PAGE}.csv`, alerts: `${SITE}/alerts#flip-41` },
};

/** A comeback on a new method. Its title carries "<" and "&" on purpose, to check the escaping. */
const RESUMED_TITLE = 'Resumed with a method break: Youth unemployment <16-24> & students excluded';
const resumed: AlertMessage = {
  flipId: 57,
  kind: 'status',
  at: Date.UTC(2024, 0, 17, 9, 15),
  title: RESUMED_TITLE,
  text: 'A value for December 2023 is on record. The comeback starts a new method at Dec 2023: do not join it to the old line. '
    + 'Resumed on a new basis: students now excluded (break at December 2023) (2024-01-17): '
    + 'https://m.mp.oeeee.com/a/BAAFRD000020240117901056.html',
  series: { id: YOUTH, title: 'Youth unemployment <16-24> & students excluded', frequency: 'monthly', topics: ['labour', 'youth'] },
  publisher: NBS,
  from: 'suspended',
  to: 'current',
  resumed: true,
  breakAt: '2023-12',
  period: '2023-12',
  dueAt: null,
  events: [{
    id: 'cn-nbs-youth-1624-excl-students-method-change-2024-01-17',
    kind: 'method_change',
    title: '国家统计局关于完善分年龄组调查失业率有关情况的说明 <note> & copy',
    date: '2024-01-17',
    url: 'https://m.mp.oeeee.com/a/BAAFRD000020240117901056.html?from=a&b=c',
  }],
  links: { page: YOUTH_PAGE, chart: `${YOUTH_PAGE}#chart`, csv: `${YOUTH_PAGE}.csv`, alerts: `${SITE}/alerts#flip-57` },
};

const OPTS = { id: `${SITE}/feed.atom`, title: 'lacuna: all alerts', selfUrl: `${SITE}/feed.atom`, siteUrl: `${SITE}/` };

/** Decodes the HTML a type="html" Atom text carries. */
function htmlText(s: string): string {
  return s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false,
  isArray: (name) => ['entry', 'link', 'category', 'author'].includes(name),
});
const textOf = (n: unknown): string => (typeof n === 'string' ? n : String((n as Node)['#text'] ?? ''));

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { feed: Node };
  return doc.feed;
}

describe('atomFeed', () => {
  const xml = atomFeed([resumed, suspended], OPTS);
  const feed = parse(xml);
  const entries = feed.entry as Node[];

  it('is Atom 1.0: a feed root in the Atom namespace with id, title, updated, author and links', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(textOf(feed.id)).toBe(`${SITE}/feed.atom`);
    expect(textOf(feed.title)).toBe('lacuna: all alerts');
    // The newest message's time, not the time of rendering.
    expect(textOf(feed.updated)).toBe('2024-01-17T09:15:00.000Z');
    expect((feed.author as Node[])[0]!.name).toBe('lacuna');
    const links = feed.link as Node[];
    expect(links.find((l) => l['@rel'] === 'self')?.['@href']).toBe(`${SITE}/feed.atom`);
    expect(links.find((l) => l['@rel'] === 'alternate')?.['@href']).toBe(`${SITE}/alerts`);
  });

  it('has one entry per message, in the order given, with stable ids, links and times', () => {
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => textOf(e.id))).toEqual([`${SITE}/alerts#flip-57`, `${SITE}/alerts#flip-41`]);
    expect(entries.map((e) => (e.link as Node[])[0]!['@href'])).toEqual([YOUTH_PAGE, YOUTH_PAGE]);
    expect(entries.map((e) => textOf(e.updated))).toEqual(['2024-01-17T09:15:00.000Z', '2023-08-15T02:30:00.000Z']);
    expect(entries.map((e) => textOf(e.published))).toEqual(['2024-01-17T09:15:00.000Z', '2023-08-15T02:30:00.000Z']);
    expect(entries.map((e) => (e.author as Node[])[0]!.name)).toEqual(['lacuna', 'lacuna']);
    // Same message, same id: a reader never sees an alert twice.
    const again = parse(atomFeed([suspended], OPTS));
    expect(textOf((again.entry as Node[])[0]!.id)).toBe(`${SITE}/alerts#flip-41`);
  });

  it('escapes "<" and "&" in a title so that it reads back as written', () => {
    const title = entries[0]!.title as Node;
    expect(title['@type']).toBe('html');
    expect(textOf(title)).toBe('Resumed with a method break: Youth unemployment &lt;16-24&gt; &amp; students excluded');
    expect(htmlText(textOf(title))).toBe(RESUMED_TITLE);
    expect(htmlText(textOf(entries[1]!.title))).toBe(suspended.title);
    expect(xml).not.toContain('<16-24>');
  });

  it('carries the text and the evidence with its citation link in the content', () => {
    const content = textOf(entries[1]!.content);
    expect((entries[1]!.content as Node)['@type']).toBe('html');
    expect(content).toContain(
      '<a href="https://icebox.rexun.cn/yaowen/2023/0815/0815113189.html">NBS suspends the age-group urban unemployment rates from the July 2023 data</a> (2023-08-15',
    );
    expect(htmlText(content)).toContain('An announced suspension covers July 2023.');
    expect(htmlText(textOf(entries[1]!.summary))).toBe(suspended.text);

    const resumedContent = textOf(entries[0]!.content);
    expect(resumedContent).toContain('href="https://m.mp.oeeee.com/a/BAAFRD000020240117901056.html?from=a&amp;b=c"');
    expect(resumedContent).toContain('国家统计局关于完善分年龄组调查失业率有关情况的说明 &lt;note&gt; &amp; copy</a>');
    expect(htmlText(resumedContent)).toContain('Method break at 2023-12.');
  });

  it('tags each entry with its topics and its publisher', () => {
    for (const e of entries) {
      const cats = (e.category as Node[]).map((c) => ({ term: c['@term'], scheme: c['@scheme'] }));
      expect(cats).toEqual([
        { term: 'labour', scheme: `${SITE}/topics/` },
        { term: 'youth', scheme: `${SITE}/topics/` },
        { term: 'nbs', scheme: `${SITE}/publishers/` },
      ]);
      expect((e.category as Node[])[2]!['@label']).toBe('National Bureau of Statistics of China');
    }
  });

  it('renders an empty feed with the given updated time, and drops links that are not http(s)', () => {
    const empty = parse(atomFeed([], { ...OPTS, updated: Date.UTC(2025, 0, 1) }));
    expect(textOf(empty.updated)).toBe('2025-01-01T00:00:00.000Z');
    expect(empty.entry).toBeUndefined();

    const sneaky = { ...suspended, events: [{ ...suspended.events[0]!, url: 'javascript:alert(1)' }] };
    const out = atomFeed([sneaky], OPTS);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toContain('javascript:');
  });
});
