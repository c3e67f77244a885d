/**
 * Issue 12 §5, HTTP: bodies are capped before they are read whole, a change
 * made with the session cookie must be JSON from the app's own origin, sign-in
 * never sends the browser to another site, and every answer carries the
 * security headers. Raw HTTP against the real server and a real SQLite file.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapSummary } from '../../server/services/maps';
import { SESSION_COOKIE } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { PASSWORD, Team, type Person } from '../support/people';

const MiB = 1024 * 1024;
const HUGE = 200 * MiB;

let server: TestServer;
let team: Team;
let kim: Person;
/** A personal access token of Kim's, for raw requests. */
let kimToken: string;

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  kim = await team.signUp('Kim');
  const made = await kim.session.post<{ token: string }>('/api/tokens', { name: 'raw requests' });
  if (made.status !== 201) throw new Error(`no token: ${made.text}`);
  kimToken = made.body.token;
});

afterAll(async () => {
  await stopAllServers();
});

interface Streamed {
  status: number;
  body: unknown;
  /** How much of the body had been sent when the answer came. */
  sentBytes: number;
  ms: number;
}

/**
 * POSTs up to `total` bytes, 1 MiB at a time, without holding them: stops
 * sending as soon as the server answers (`total` 0: sends the headers only). `contentLength` declares a length
 * (otherwise the body is chunked, as a stream of unknown length is).
 */
function streamPost(path: string, headers: Record<string, string>, total: number, contentLength?: number): Promise<Streamed> {
  const started = Date.now();
  const chunk = Buffer.alloc(MiB, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(new URL(path, server.url), {
      method: 'POST',
      headers: { ...headers, ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }) },
    });
    req.on('response', (res) => {
      answered = true;
      const sentBytes = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => {
        req.destroy();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the assertion shows the text.
        }
        resolve({ status: res.statusCode ?? 0, body, sentBytes, ms: Date.now() - started });
      });
    });
    req.on('error', (error) => {
      // The server may close the socket once it has answered; only an error before the answer counts.
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 500);
    });
    // Only the headers: a server that waits for the declared body never answers.
    if (total === 0) {
      req.flushHeaders();
      return;
    }
    const pump = (): void => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** next-auth's CSRF token and the cookie it is checked against, as a browser holds them before it signs in. */
async function csrf(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(new URL('/api/auth/csrf', server.url));
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0])
    .join('; ');
  return { token: csrfToken, cookie };
}

async function residentBytes(): Promise<number> {
  const text = await (await fetch(new URL('/api/metrics', server.url))).text();
  const match = /^journeyhub_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!match?.[1]) throw new Error('no resident memory in /api/metrics');
  return Number(match[1]);
}

async function mapTitles(): Promise<string[]> {
  const listed = await kim.api.get<{ maps: MapSummary[] }>('/api/maps');
  expect(listed.status).toBe(200);
  return listed.body.maps.map((m) => m.title);
}

/** A request with Kim's session cookie, as her browser would send it. */
function withCookie(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Response> {
  const cookie = kim.session.sessionCookie;
  if (!cookie) throw new Error('Kim has no session cookie');
  return fetch(new URL(path, server.url), { method, redirect: 'manual', headers: { ...headers, cookie: `${SESSION_COOKIE}=${cookie}` }, body });
}

describe('request bodies are capped before they are read whole', () => {
  it('a 200 MB sign-up streamed without a length is refused with 413 early, and the server does not grow', async () => {
    const before = await residentBytes();
    const answer = await streamPost('/api/signup', { 'content-type': 'application/json' }, HUGE);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'The request body is larger than 1 MiB' });
    expect(answer.sentBytes).toBeLessThan(HUGE);
    const after = await residentBytes();
    expect(after - before).toBeLessThan(100 * MiB);
  });

  it('a 200 MB new map (token) streamed without a length is refused with 413 early, nothing created', async () => {
    const answer = await streamPost('/api/maps', { 'content-type': 'application/json', authorization: `Bearer ${kimToken}` }, HUGE);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'The request body is larger than 1 MiB' });
    expect(answer.sentBytes).toBeLessThan(HUGE);
    expect(await mapTitles()).toEqual([]);
  });

  it('a 200 MB sign-in form streamed to next-auth without a length is refused with 413 early', async () => {
    const answer = await streamPost('/api/auth/callback/credentials', { 'content-type': 'application/x-www-form-urlencoded' }, HUGE);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'The request body is larger than 1 MiB' });
    expect(answer.sentBytes).toBeLessThan(HUGE);
  });

  it('a declared 200 MB Content-Length is refused on its headers alone (sign-up, new map, next-auth)', async () => {
    for (const path of ['/api/signup', '/api/maps', '/api/auth/callback/credentials']) {
      const answer = await streamPost(path, { 'content-type': 'application/json', authorization: `Bearer ${kimToken}` }, 0, HUGE);
      expect(answer.status, path).toBe(413);
      expect(answer.body, path).toEqual({ error: 'The request body is larger than 1 MiB' });
    }
  }, 15_000);

  it('a body just under the limit still reaches the route (400 for its content, not 413)', async () => {
    const answer = await kim.api.post('/api/maps', { title: 'x'.repeat(MiB - 100), template: 'blank' });
    expect(answer.status).toBe(400);
  });
});

describe('a change made with the session cookie must be JSON from the app itself', () => {
  it('a cross-site text/plain form post with the cookie is refused (403), nothing created', async () => {
    const res = await withCookie('POST', '/api/maps', { 'content-type': 'text/plain', origin: 'https://evil.example' }, JSON.stringify({ title: 'Forged', template: 'blank' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'This request came from another site; JourneyHub accepts changes only from its own pages' });
    expect(await mapTitles()).not.toContain('Forged');
  });

  it('Sec-Fetch-Site: cross-site is refused even with a JSON body and no Origin (403)', async () => {
    const res = await withCookie('POST', '/api/maps', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, JSON.stringify({ title: 'Forged 2', template: 'blank' }));
    expect(res.status).toBe(403);
    expect(await mapTitles()).not.toContain('Forged 2');
  });

  it('a cross-site delete with the cookie is refused and the map stays', async () => {
    const map = await kim.createMap('Keep me');
    const res = await withCookie('DELETE', `/api/maps/${map.id}`, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(await mapTitles()).toContain('Keep me');
  });

  it('a same-origin text/plain post with the cookie is refused as the wrong type (415), nothing created', async () => {
    const res = await withCookie('POST', '/api/maps', { 'content-type': 'text/plain', origin: server.url, 'sec-fetch-site': 'same-origin' }, JSON.stringify({ title: 'Plain', template: 'blank' }));
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: 'Send the request body as JSON (Content-Type: application/json)' });
    expect(await mapTitles()).not.toContain('Plain');
  });

  it('the app’s own JSON request with the cookie works (201)', async () => {
    const res = await withCookie('POST', '/api/maps', { 'content-type': 'application/json', origin: server.url, 'sec-fetch-site': 'same-origin' }, JSON.stringify({ title: 'Mine', template: 'blank' }));
    expect(res.status).toBe(201);
    expect(await mapTitles()).toContain('Mine');
  });

  it('a bearer token is not bound to an origin (201)', async () => {
    const res = await fetch(new URL('/api/maps', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${kimToken}`, 'content-type': 'application/json', origin: 'https://elsewhere.example' },
      body: JSON.stringify({ title: 'From a script', template: 'blank' }),
    });
    expect(res.status).toBe(201);
  });

  it('signing in through next-auth’s own form post from the app’s origin still works', async () => {
    const { token, cookie } = await csrf();
    const res = await fetch(new URL('/api/auth/callback/credentials', server.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, 'sec-fetch-site': 'same-origin', cookie },
      body: new URLSearchParams({ csrfToken: token, email: kim.email, password: PASSWORD, json: 'true' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
  });
});

describe('sign-in never sends the browser to another site', () => {
  const HOSTILE = ['/%5Cevil.example', '//evil.example', 'https://evil.example/', 'javascript:alert(1)', '/%09/evil.example'];

  it('the login page of a signed-in person redirects only within the app', async () => {
    for (const callbackUrl of HOSTILE) {
      const res = await withCookie('GET', `/login?callbackUrl=${callbackUrl}`, {});
      expect([303, 307, 308], callbackUrl).toContain(res.status);
      const location = res.headers.get('location') ?? '';
      expect(new URL(location, server.url).origin, `${callbackUrl} → ${location}`).toBe(server.url);
      expect(location, callbackUrl).not.toMatch(/evil|javascript|\\/);
      await res.body?.cancel();
    }
  });

  it('a path of the app is kept', async () => {
    const res = await withCookie('GET', `/login?callbackUrl=${encodeURIComponent('/maps/abc?x=1')}`, {});
    expect(res.headers.get('location')).toBe('/maps/abc?x=1');
    await res.body?.cancel();
  });

  it('next-auth answers a sign-in with a hostile callbackUrl with a URL of the app', async () => {
    for (const callbackUrl of HOSTILE.map(decodeURIComponent)) {
      const { token, cookie } = await csrf();
      const res = await fetch(new URL('/api/auth/callback/credentials', server.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ csrfToken: token, email: kim.email, password: PASSWORD, callbackUrl, json: 'true' }).toString(),
      });
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin, `${callbackUrl} → ${url}`).toBe(server.url);
      expect(url, callbackUrl).not.toMatch(/evil|javascript|\\/);
    }
  });
});

describe('security headers on every answer', () => {
  async function staticAsset(): Promise<string> {
    const html = await (await fetch(new URL('/login', server.url))).text();
    const match = /\/_next\/static\/[^"'\s]+\.js/.exec(html);
    if (!match) throw new Error('no script in /login');
    return match[0];
  }

  it('pages, API routes, errors and static files carry CSP, framing, nosniff and referrer headers', async () => {
    const paths = ['/login', '/', '/api/health', '/api/maps', '/api/auth/csrf', '/no-such-page', await staticAsset()];
    for (const path of paths) {
      const res = await fetch(new URL(path, server.url), { redirect: 'manual' });
      await res.body?.cancel();
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("connect-src 'self' ws: wss:");
      expect(csp, path).toContain("object-src 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
  });
});
