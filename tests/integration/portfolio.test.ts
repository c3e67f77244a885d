/**
 * Issue 13 §4 over HTTP against the real app: GET /api/portfolio and
 * GET /api/teams answer for the maps the person is a member of and never
 * another's (by title, in any part of the answer); nobody without a session
 * or token (401), not with a metrics token (403); a map whose stored state
 * cannot be read is a damaged row, not a 500; a bad sort query reads as the
 * default. Prints how long the portfolio of 50 demo maps takes (no assertion
 * on time).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMap } from '../../lib/journey/templates';
import { roomName } from '../../lib/journey/rooms';
import type { MapSummary } from '../../server/services/maps';
import type { PortfolioAnswer, TeamsAnswer } from '../../server/services/portfolio';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { Team, type Person } from '../support/people';
import { withServerDatabase } from './support/database';

let server: TestServer;
let lea: Person;
let sam: Person;
let bruno: Person;
let broadband: MapSummary;
let mobile: MapSummary;
let secret: MapSummary;

beforeAll(async () => {
  server = await TestServer.start();
  const team = new Team(server);
  [lea, sam, bruno] = await Promise.all([team.signUp('Lea'), team.signUp('Sam'), team.signUp('Bruno')]);
  broadband = await lea.createMap('Broadband', 'demo');
  mobile = await lea.createMap('Mobile', 'blank');
  secret = await bruno.createMap('Bruno secret roadmap', 'demo');
  await lea.invite(broadband.id, sam.email, 'commenter');
  const key = Object.values(demoMap().map.touchpoints).find((t) => t.id === 'tp-first-bill')?.externalKey;
  const pushed = await lea.api.request('PUT', `/api/maps/${broadband.id}/metrics`, { period: '2026-11', rows: [{ externalKey: key, contacts: 1234, csat: { responses: 4, satisfied: 3 } }] });
  expect(pushed.status, pushed.text).toBe(200);
});

afterAll(async () => {
  await stopAllServers();
});

describe('who may ask', () => {
  it('nobody (no session, no token) gets 401 from both routes', async () => {
    const anonymous = ApiClient.anonymous(server.url);
    for (const route of ['/api/portfolio', '/api/teams']) {
      const answer = await anonymous.get<ErrorBody>(route);
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
      expect(answer.text).not.toContain('Broadband');
    }
  });

  it('a metrics token (push figures only) gets 403', async () => {
    const made = await lea.session.post<{ token: string }>('/api/tokens', { name: 'feed', scope: 'metrics' });
    const feed = ApiClient.withToken(server.url, made.body.token);
    for (const route of ['/api/portfolio', '/api/teams']) expect((await feed.get(route)).status).toBe(403);
  });
});

describe('GET /api/portfolio', () => {
  it("the lead sees both her maps with their figures; Bruno's map is in no part of the answer", async () => {
    const answer = await lea.api.get<PortfolioAnswer>('/api/portfolio');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.maps.map((m) => m.title)).toEqual(['Broadband', 'Mobile']);
    expect(answer.text).not.toContain(secret.title);
    expect(answer.text).not.toContain(secret.id);
    const row = answer.body.maps[0];
    if (row === undefined || row.damaged) throw new Error('Broadband is not a readable row');
    expect(row).toMatchObject({ id: broadband.id, role: 'owner', measuredPeriod: '2026-11', measuredContacts: 1234, csat: 75, stale: ['never-reviewed'] });
  });

  it('the commenter sees only the map she is a member of', async () => {
    const answer = await sam.api.get<PortfolioAnswer>('/api/portfolio');
    expect(answer.body.maps.map((m) => [m.title, m.role])).toEqual([['Broadband', 'commenter']]);
    expect(answer.text).not.toContain(mobile.id);
    expect(answer.text).not.toContain(secret.title);
  });

  it('sorts by ?sort=&dir=; a hostile query reads as the default (by title), never an error', async () => {
    const byEstimate = await lea.api.get<PortfolioAnswer>('/api/portfolio?sort=estimated&dir=asc');
    expect(byEstimate.body).toMatchObject({ sort: 'estimated', dir: 'asc' });
    expect(byEstimate.body.maps.map((m) => m.title)).toEqual(['Mobile', 'Broadband']);
    for (const query of ['?sort=__proto__', '?sort=estimated&sort=title&dir=%00', `?sort=${'x'.repeat(5000)}`, '?dir[]=asc', '?%E0%A4%A']) {
      const answer = await lea.api.get<PortfolioAnswer>(`/api/portfolio${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: answer.status < 500 ? answer.status : 200 });
      if (answer.status === 200) expect(answer.body.maps).toHaveLength(2);
    }
  });
});

describe('the pages', () => {
  it('answer a hostile sort query with the default order, never an error, and show only her maps', async () => {
    for (const page of ['/portfolio', '/teams']) {
      for (const query of ['', '?sort=__proto__&dir=sideways', '?sort=title&sort=gaps&dir[]=asc', `?sort=${'%3Cscript%3E'.repeat(200)}`, '?dir=%00']) {
        const answer = await lea.session.get<string>(`${page}${query}`);
        expect({ page, query, status: answer.status }).toEqual({ page, query, status: 200 });
        // Never echoed as markup (Next's own payload carries the URL, escaped).
        expect(answer.text).not.toContain('<script><script>');
        // The default order: the portfolio by title, ascending; the teams by pain, largest first.
        expect(answer.text).toMatch(page === '/portfolio' ? /aria-sort="ascending"[^>]*><a[^>]*data-testid="sort-title"/ : /aria-sort="descending"[^>]*><a[^>]*data-testid="sort-pain"/);
        expect(answer.text).not.toContain(secret.title);
      }
    }
  });

  it('send nobody without a session to the sign-in page', async () => {
    const res = await fetch(`${server.url}/portfolio`, { redirect: 'manual' });
    expect([302, 303, 307, 308]).toContain(res.status);
    expect(res.headers.get('location')).toContain('/login');
  });
});

describe('GET /api/teams', () => {
  it("the lead sees the demo map's teams with the pushed contacts; Bruno's map is in no part of the answer", async () => {
    const answer = await lea.api.get<TeamsAnswer>('/api/teams');
    expect(answer.status, answer.text).toBe(200);
    const billing = answer.body.teams.find((t) => t.key === 'billing');
    expect(billing?.measuredContacts).toBe(1234);
    expect(billing?.touchpoints.every((t) => t.mapId === broadband.id)).toBe(true);
    expect(answer.body.nobody.stages.map((s) => s.stageName)).toContain('Renew or leave');
    expect(answer.text).not.toContain(secret.title);
    expect(answer.text).not.toContain(secret.id);
  });

  it('the commenter sees the teams of her one map only', async () => {
    const answer = await sam.api.get<TeamsAnswer>('/api/teams');
    expect(answer.status).toBe(200);
    expect(answer.body.mapCount).toBe(1);
    expect(answer.text).not.toContain(secret.id);
  });
});

describe('a damaged map', () => {
  it('is a damaged row on the portfolio and listed as unreadable on the teams answer, never a 500', async () => {
    const changed = await withServerDatabase(server.dataDir, (db) => db.run('UPDATE doc_snapshots SET state = ? WHERE room = ?', [Buffer.from([0xff, 0xff, 0xff]), roomName(mobile.id, 'map')]));
    expect(changed).toBe(1);
    const answer = await lea.api.get<PortfolioAnswer>('/api/portfolio');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.maps.find((m) => m.id === mobile.id)).toMatchObject({ damaged: true, title: 'Mobile' });
    const teams = await lea.api.get<TeamsAnswer>('/api/teams');
    expect(teams.status, teams.text).toBe(200);
    expect(teams.body.damaged).toEqual([{ id: mobile.id, title: 'Mobile' }]);
  });
});

describe('50 maps', () => {
  it('the portfolio of a person on 50 demo maps answers whole (time printed, not asserted)', async () => {
    const many = await new Team(server).signUp('Manon');
    for (let i = 0; i < 50; i++) await many.createMap(`Map ${String(i).padStart(2, '0')}`, 'demo');
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      const answer = await many.api.get<PortfolioAnswer>('/api/portfolio');
      times.push(performance.now() - started);
      expect(answer.body.maps).toHaveLength(50);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`GET /api/portfolio, 50 demo maps: median ${sorted[2]?.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  }, 120_000);
});
