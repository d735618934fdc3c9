// Where links that leave a page point (feeds, badges, embed snippets, data packages, OpenGraph):
// LACUNA_PUBLIC_URL, or the address lacuna listens on, set by start. Never the request's Host
// header, which any client can set: a forged one must not end up in a feed or a kept page.
// Tests that build the app without one get http://localhost, which is also what app.request uses.
export const DEFAULT_ORIGIN = 'http://localhost';

export function publicOrigin(deps: { publicUrl?: string | undefined }): string {
  return (deps.publicUrl ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
}
