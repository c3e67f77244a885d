/**
 * Where the app may send a browser after sign-in, and which requests count as
 * coming from the app's own pages. Pure: the server and the login form share it.
 */

/**
 * A path on the app's own origin for `value`, or `fallback`. Refuses what a
 * browser would read as another site: `//host`, `/\host` (browsers treat `\`
 * as `/`), absolute URLs on another origin, `javascript:` and other schemes,
 * and control characters that browsers strip before parsing.
 */
export function sameOriginPath(value: string | null | undefined, origin: string, fallback = '/'): string {
  if (!value) return fallback;
  // Tabs and newlines are removed by URL parsers; a path that needs them is not one the app made.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    return fallback;
  }
  let target: URL;
  try {
    target = new URL(value, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A path that begins with two slashes would name a host once written into Location.
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback;
}

/** The same check for next-auth's redirect callback, which answers with absolute URLs. */
export function sameOriginUrl(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  return `${base}${sameOriginPath(url, base)}`;
}

const CROSS_SITE = 'This request came from another site; JourneyHub accepts changes only from its own pages';

/**
 * Why a state-changing browser request is refused, or null when it comes from
 * the app's own origin. A request with neither header (a script, the CLI) is
 * not a browser's cross-site request and passes.
 */
export function crossSiteReason(headers: { origin: string | null; secFetchSite: string | null; host: string | null }, appOrigins: readonly string[]): string | null {
  const site = headers.secFetchSite?.toLowerCase() ?? null;
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return CROSS_SITE;
  }
  if (headers.origin === null) return null;
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return CROSS_SITE;
  }
  const sameHost = headers.host !== null && origin.host === headers.host.toLowerCase();
  if (sameHost || appOrigins.includes(origin.origin)) return null;
  return CROSS_SITE;
}

/** Request bodies of the JSON API stop here (1 MiB): no route needs more, and a larger one is refused before it is read. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * The one exception: a push of measured figures (PUT /api/maps/:id/metrics). 5,000 touchpoints with 20 verbatims
 * of up to 1,000 characters each can be ~100 MiB in theory; a real nightly push of 5,000 rows with a few short
 * verbatims is 2–5 MiB. 16 MiB holds that with room, and a larger batch can be split by touchpoint.
 */
export const MAX_METRICS_BODY_BYTES = 16 * 1024 * 1024;

/** A file imported as a new map (POST /api/maps/import): a spreadsheet of a few thousand touchpoints is well under it. */
export const MAX_IMPORT_BODY_BYTES = 10 * 1024 * 1024;

/** The body cap of a request to `pathname`. */
export function bodyLimitFor(pathname: string, method: string): number {
  if (method === 'PUT' && /^\/api\/maps\/[^/]+\/metrics\/?$/.test(pathname)) return MAX_METRICS_BODY_BYTES;
  if (method === 'POST' && /^\/api\/maps\/import\/?$/.test(pathname)) return MAX_IMPORT_BODY_BYTES;
  return MAX_JSON_BODY_BYTES;
}

/** The 413's sentence, the same whether the Content-Length or the streamed body passed the limit. */
export function bodyTooLargeMessage(limit: number): string {
  return `The request body is larger than ${limit / (1024 * 1024)} MiB`;
}
