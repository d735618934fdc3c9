// The 400 page of an HTML page asked with a malformed parameter: what was wrong, and the same page
// without it (a shared link with a mistyped date still leads somewhere).
import { Layout } from './layout.js';

export function BadRequestPage({ parameter, value, reason, without }: { parameter: string; value: string; reason: string; without: string }) {
  return (
    <Layout title="Bad link">
      <section class="not-found" data-parameter={parameter}>
        <h1>This link has a malformed parameter</h1>
        <p>
          <code>{parameter}={value}</code>: {reason}.
        </p>
        <p>
          <a href={without}>Open the page without it</a>, or go to the <a href="/">board</a>. Dates are written{' '}
          <code>YYYY-MM-DD</code> (<code>as_of=2023-09-01</code>) and months <code>YYYY-MM</code>.
        </p>
      </section>
    </Layout>
  );
}
