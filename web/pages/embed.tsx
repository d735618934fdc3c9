// The "Embed" box of a series page: the series' status badge and the HTML and Markdown that put
// it in an article, linking back to the series page.

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

export function BadgeEmbed({ seriesId, title, origin }: { seriesId: string; title: string; origin: string }) {
  const s = badgeSnippets(seriesId, title, origin);
  return (
    <section aria-labelledby="embed-h" class="embed">
      <h2 id="embed-h">Embed</h2>
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
