/**
 * Signing in as ApiClient.signIn does (CSRF token, then the credentials
 * callback), but from a chosen local address (127.0.0.2 is another machine
 * to a server on loopback) and with chosen headers (a proxy's, or a forged
 * X-Forwarded-For). Global fetch cannot pick its source address; node:http can.
 */
import http from 'node:http';
import type { SignInResult } from './api-client';

export interface From {
  /** The source address of the TCP connection, e.g. 127.0.0.2 (any 127/8 address reaches loopback on Linux). */
  localAddress?: string;
  /** Extra request headers, e.g. { 'x-forwarded-for': '203.0.113.7' }. */
  headers?: Record<string, string>;
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(baseUrl: string, method: string, path: string, from: From, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: from.localAddress,
        // next-auth builds its URLs from NEXTAUTH_URL (http://localhost:<port>): the Host stays the same.
        headers: { host: url.host, ...from.headers, ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const cookiesOf = (headers: http.IncomingHttpHeaders): string =>
  (headers['set-cookie'] ?? []).map((line) => line.split(';', 1)[0] ?? '').filter((pair) => pair !== '').join('; ');

/** One sign-in attempt with an email and password from `from`; `ok` when next-auth set a session cookie. */
export async function signInFrom(baseUrl: string, from: From, email: string, password: string): Promise<SignInResult> {
  const csrf = await send(baseUrl, 'GET', '/api/auth/csrf', from, {});
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}: ${csrf.text}`);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString();
  const res = await send(baseUrl, 'POST', '/api/auth/callback/credentials', from, { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf.headers) }, form);
  let body: unknown = null;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = res.text;
  }
  const redirect = typeof body === 'object' && body !== null && 'url' in body ? String((body as { url: unknown }).url) : '';
  const error = redirect ? new URL(redirect, baseUrl).searchParams.get('error') : null;
  const ok = (res.headers['set-cookie'] ?? []).some((line) => line.startsWith('next-auth.session-token='));
  return { ok, status: res.status, error, body };
}

/** POST /api/signup from `from`; the status and the JSON answer. */
export async function signUpFrom(baseUrl: string, from: From, input: { email: string; name: string; password: string }): Promise<{ status: number; body: { error?: string; message?: string } }> {
  const res = await send(baseUrl, 'POST', '/api/signup', from, { 'content-type': 'application/json', origin: new URL(baseUrl).origin }, JSON.stringify(input));
  return { status: res.status, body: JSON.parse(res.text) as { error?: string; message?: string } };
}
