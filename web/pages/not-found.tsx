// The 404 page: says what was not found and where to go instead.
import { Layout } from './layout.js';

export function NotFoundPage({ what }: { what: string }) {
  return (
    <Layout title="Not found">
      <section class="not-found">
        <h1>Not found</h1>
        <p>
          lacuna has nothing at <code>{what}</code>.
        </p>
        <p>
          The <a href="/">board</a> lists every series lacuna tracks. Series ids look like{' '}
          <code>cn.nbs.unemployment.urban.age16_24</code>; the JSON API is under <code>/api/series</code>.
        </p>
      </section>
    </Layout>
  );
}
