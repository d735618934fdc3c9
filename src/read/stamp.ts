// The read model's version. A stored evaluation, a stored answer or the stored headline holds only
// while what decided it is unchanged: the core's rules (src/core), the writers of the stored
// answers (src/formats) and the schema (the migrations' journal). Their hash is the stamp written
// on every stored row; a row of another stamp is never read, and start recomputes it. Derived
// from the files themselves, so that no one has to remember to bump a number after fixing a rule.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['src/core', 'src/formats'];
const SCHEMA = 'db/migrations/meta/_journal.json';

function stamp(): string {
  const h = createHash('sha256');
  for (const dir of SOURCES) {
    for (const name of readdirSync(join(ROOT, dir)).filter((n) => /\.tsx?$/.test(n)).sort()) {
      h.update(`${dir}/${name}\0`).update(readFileSync(join(ROOT, dir, name))).update('\0');
    }
  }
  h.update(readFileSync(join(ROOT, SCHEMA)));
  return h.digest('hex').slice(0, 16);
}

/** The stamp of this version of lacuna's read model. */
export const READ_MODEL_STAMP = stamp();
