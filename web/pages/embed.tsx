// The "Embed" box of a series page: the chart as an iframe with its attribution, and the series'
// status badge, in the HTML and Markdown that put them in an article, linking back to the series page.

/** The snippets for a series badge; `origin` is this site's address ('https://lacuna.example'). */
export function badgeSnippets(seriesId: string, title: string, origin: string) {
  const id = encodeURIComponent(seriesId);
  const page = `${origin}/series/${id}`;
  const img = `${origin}/badge/series/${id}.svg`;
  const alt = `lacuna status of ${title}`;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const md = (s: string) => s.replace(/[[\]\\]/g, (ch) => `\\${ch}`);
  return {
    page, img,
    html: `<a href="${attr(page)}"><img src="${attr(img)}" alt="${attr(alt)}"></a>`,
    markdown: `[![${md(alt)}](${img})](${page})`,
    json: `${origin}/badge/series/${id}.json`,
  };
}

/** The iframe snippet of a series chart, with the attribution a reader sees even where iframes are stripped. */
export function chartSnippet(seriesId: string, title: string, origin: string, publisher: string, asOf: string | null): string {
  const id = encodeURIComponent(seriesId);
  const q = asOf ? `?as_of=${asOf}` : '';
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<iframe src="${attr(`${origin}/embed/series/${id}${q}`)}" title="${attr(`${title} (lacuna)`)}" width="100%" height="520" style="border:0" loading="lazy"></iframe>\n`
    + `<p><small>Chart: <a href="${attr(`${origin}/series/${id}${q}`)}">lacuna</a>. Data: ${text(publisher)}.</small></p>`;
}

export function BadgeEmbed({ seriesId, title, origin, asOf = null, publisher = '' }: { seriesId: string; title: string; origin: string; asOf?: string | null; publisher?: string }) {
  const s = badgeSnippets(seriesId, title, origin);
  return (
    <section aria-labelledby="embed-h" class="embed">
      <h2 id="embed-h">Embed</h2>
      <label for="embed-chart">The chart (an iframe, with the attribution)</label>
      <textarea id="embed-chart" class="snippet" readonly rows={4}>{chartSnippet(seriesId, title, origin, publisher, asOf)}</textarea>
      <p class="muted">
        Preview: <a href={`/embed/series/${encodeURIComponent(seriesId)}${asOf ? `?as_of=${asOf}` : ''}`}>the embedded chart</a>.
        It needs no script, and states the source and links back to this page.
      </p>
      <p>
        <img src={`/badge/series/${encodeURIComponent(seriesId)}.svg`} alt={`Status badge of ${title}`} height="20" />
      </p>
      <p class="muted">
        A badge that tells this series' story (how it went dark, whether it came back), updated every five minutes.
        {origin ? null : ' Put this site\'s address in front of the links below.'}
      </p>
      <label for="embed-html">HTML</label>
      <textarea id="embed-html" class="snippet" readonly rows={3}>{s.html}</textarea>
      <label for="embed-md">Markdown</label>
      <textarea id="embed-md" class="snippet" readonly rows={3}>{s.markdown}</textarea>
      <p class="muted">
        Also as JSON in the <a href={`/badge/series/${encodeURIComponent(seriesId)}.json`}>shields.io endpoint format</a>.
      </p>
    </section>
  );
}
