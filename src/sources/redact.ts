// Credentials in URLs (an API key in the query, a user and password before the host) never leave
// the fetch: every URL lacuna stores, logs, shows or sends is redacted, and any text an answer or
// error carries is scrubbed of the secret values themselves.
const SECRET_KEY = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|authorization|secret|client[_-]?secret|password|passwd|pass|pwd|sig|signature|session|sid)$/i;

export const REDACTED = '***';

/** The secret values a URL carries: credential query values and its user info. */
export function secretsIn(url: string): string[] {
  if (!URL.canParse(url)) return [];
  const u = new URL(url);
  const found = [...u.searchParams].filter(([k, v]) => SECRET_KEY.test(k) && v !== '').map(([, v]) => v);
  if (u.username) found.push(decodeURIComponent(u.username));
  if (u.password) found.push(decodeURIComponent(u.password));
  return found.filter((s) => s.length >= 4 && s !== REDACTED);
}

/** The URL with credential query values and user info replaced by ***. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  let changed = !!(u.username || u.password);
  for (const [k, v] of [...u.searchParams]) {
    if (SECRET_KEY.test(k) && v !== '' && v !== REDACTED) {
      u.searchParams.set(k, REDACTED);
      changed = true;
    }
  }
  // Unchanged URLs are returned as given, so that they compare and read as the publisher wrote them.
  return changed ? u.href.replaceAll('%2A%2A%2A', REDACTED) : url;
}

/** Text with every secret value replaced by ***. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join(REDACTED);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join(REDACTED);
  }
  return out;
}
