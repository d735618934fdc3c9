// The events of a series page: each with its kind, dates, evidence, confidence and citations;
// in an as-of view, today's account folded under "Written later" and later citations left out.
import { periodLabel, type Frequency } from '../../src/core/index.js';
import type { EventView } from '../../src/read/read-model.js';
import { hasCjk, hostOf, safeUrl } from './layout.js';

const KIND_LABEL: Record<string, string> = {
  suspension_announced: 'Suspension announced', cancelled: 'Cancelled (will never be published)', delayed: 'Delayed', resumed: 'Resumed', method_change: 'Method change',
  discontinued: 'Discontinued', replaced: 'Replaced', line_dropped: 'Line dropped from a release',
  access_cut: 'Access cut', access_restored: 'Access restored',
};

const EVIDENCE_LABEL: Record<string, string> = {
  official_notice: 'Official notice', media_report: 'Media report', inferred: 'Inferred by lacuna',
};

const CONFIDENCE_LABEL: Record<string, string> = {
  verified: 'Verified', partly_verified: 'Partly verified', unverified: 'Unverified',
};

const label = (m: Record<string, string>, k: string) => m[k] ?? k.replace(/_/g, ' ');

/** periodLabel that never throws on an odd period (events of another frequency, hand-written data). */
export function plabel(p: string, f: Frequency): string {
  try {
    return periodLabel(p, f);
  } catch {
    return p;
  }
}

function periodsCovered(e: EventView, f: Frequency): string | null {
  if (!e.periodFrom && !e.periodTo) return null;
  if (e.periodFrom && e.periodTo) return e.periodFrom === e.periodTo ? plabel(e.periodFrom, f) : `${plabel(e.periodFrom, f)} – ${plabel(e.periodTo, f)}`;
  if (e.periodFrom) return `from ${plabel(e.periodFrom, f)} (open-ended)`;
  return `up to ${plabel(e.periodTo!, f)}`;
}

function Citation({ c }: { c: EventView['citations'][number] }) {
  const url = safeUrl(c.url);
  return (
    <li class="citation">
      {url ? <a href={url} rel="noopener">{c.title}</a> : <span>{c.title}</span>}
      {url ? <span class="host"> ({hostOf(url)})</span> : null}
      <span class="cite-meta">
        {' — '}{c.publisher}{c.date ? <>, <time datetime={c.date}>{c.date}</time></> : null}
      </span>
      {c.quote ? <blockquote lang={hasCjk(c.quote) ? 'zh' : undefined}>{c.quote}</blockquote> : null}
      {!url ? <span class="muted"> {c.url}</span> : null}
    </li>
  );
}

/**
 * Text the catalogue holds today (descriptions, notes, event accounts): in an as-of view it may
 * tell of later events, so it is folded away under a label saying it was written later.
 */
export function MaybeLater({ asOf, tag, cls, text }: { asOf: string | null; tag: 'p'; cls: string; text: string }) {
  if (!asOf) return <p class={cls}>{text}</p>;
  return (
    <details class={`written-later ${cls}`} data-testid="written-later">
      <summary>Written later: today's text, which may tell of events after {asOf}</summary>
      {tag === 'p' ? <p>{text}</p> : null}
    </details>
  );
}

export function EventItem({ e, f, seriesTitle, asOf = null }: { e: EventView; f: Frequency; seriesTitle?: string; asOf?: string | null }) {
  const covered = periodsCovered(e, f);
  // As of a date, citations published after it are later facts too.
  const cites = asOf ? e.citations.filter((c) => !c.date || c.date <= asOf) : e.citations;
  const laterCites = e.citations.length - cites.length;
  return (
    <li class={`event kind-${e.kind}`} id={`event-${e.id}`}>
      <div class="event-head">
        <time datetime={e.date} class="event-date" title={e.dateApproximate ? 'approximate date' : undefined}>
          {e.dateApproximate ? '≈ ' : ''}{e.date}
        </time>
        <span class="tag kind">{label(KIND_LABEL, e.kind)}</span>
        <a class="permalink" href={`#event-${e.id}`} aria-label={`Link to this event: ${e.title}`}>#</a>
      </div>
      <h3 class="event-title">{e.title}</h3>
      {seriesTitle ? <p class="muted">Series: {seriesTitle}</p> : null}
      {e.description ? <MaybeLater asOf={asOf} tag="p" cls="event-desc" text={e.description} /> : null}
      <dl class="event-facts">
        <div><dt>Evidence</dt><dd>{label(EVIDENCE_LABEL, e.evidenceKind)}</dd></div>
        <div><dt>Confidence</dt><dd class={`confidence confidence-${e.confidence}`}>{label(CONFIDENCE_LABEL, e.confidence)}</dd></div>
        {covered ? <div><dt>Periods covered</dt><dd>{covered}</dd></div> : null}
        {e.dateApproximate ? <div><dt>Date</dt><dd>approximate (≈)</dd></div> : null}
        {e.origin === 'inferred' ? <div><dt>Recorded by</dt><dd>lacuna itself</dd></div> : null}
      </dl>
      {cites.length ? (
        <ol class="citations">{cites.map((c) => <Citation c={c} />)}</ol>
      ) : <p class="muted">No citation on record{laterCites ? ` by ${asOf}` : ''}.</p>}
      {laterCites ? <p class="muted">{laterCites} citation{laterCites === 1 ? '' : 's'} published after {asOf} not shown.</p> : null}
    </li>
  );
}
