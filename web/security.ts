// The headers every answer carries on a public address (hono's secureHeaders): a Content-Security-
// Policy that lacuna's own pages satisfy (scripts, styles and images from this origin only, no
// inline script or style, no plugins, forms posting here), no sniffing, no framing except the
// embed route that exists to be framed, and a referrer policy that keeps query strings (as-of
// dates, filters) to this site. Resources may be loaded cross-origin (badges and chart images are
// meant to be embedded elsewhere). A handler's own header wins (the archived answers' sandbox).
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const policy = (frameAncestors: string[]) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors,
});

const common = {
  crossOriginResourcePolicy: 'cross-origin',
  referrerPolicy: 'strict-origin-when-cross-origin',
  // HTTPS and its HSTS are the reverse proxy's to set (README, Running in public).
  strictTransportSecurity: false,
  overwrite: false,
} as const;

const site = secureHeaders({ ...common, contentSecurityPolicy: policy(["'none'"]), xFrameOptions: 'DENY' });
const embed = secureHeaders({ ...common, contentSecurityPolicy: policy(['*']), xFrameOptions: false });

/** The routes that exist to be shown in another site's frame. */
export const isEmbedPath = (path: string) => path.startsWith('/embed/');

export const securityHeaders: MiddlewareHandler = (c, next) => (isEmbedPath(c.req.path) ? embed(c, next) : site(c, next));
