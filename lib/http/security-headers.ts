/**
 * The headers every answer of the app carries (pages, API, static files).
 *
 * Scripts: Next.js writes its bootstrap and RSC payload as inline scripts;
 * nonces would make every page dynamic and need a proxy rewrite per request,
 * so 'unsafe-inline' stays and what CSP still buys is no foreign script host,
 * no plugins, no framing, no foreign form target or base URL. Dev mode's hot
 * reload also evaluates code ('unsafe-eval'). Styles: React Flow and the
 * canvas position cards with inline styles. Websocket: the collaboration room
 * (ws: on http, wss: behind TLS).
 */
export function securityHeaders(dev: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}
