/**
 * Issue 13 §2, the data feed, against the real server (production build), a
 * real SQLite file, raw HTTP and a stock y-websocket client (DESIGN.md,
 * "Measured data and outcomes"):
 * - PUT /api/maps/:id/metrics replaces each named touchpoint's row for the
 *   period; a bad row anywhere is a 400 naming every bad row, nothing stored;
 * - GET with from/to ranges, DELETE a month;
 * - who may push: editor or owner; a session, a write or a metrics token; a
 *   metrics token may touch the /metrics routes only;
 * - an open canvas hears meta.figuresAt within two seconds of a push;
 * - the CLI pushes a CSV and names the line of a bad row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap } from '../../lib/journey/schema';
import { demoMap } from '../../lib/journey/templates';
import { ensureBuild } from '../e2e/support/build';
import { ApiClient, RawBody, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { cliOk, runCli } from '../support/cli';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { waitFor } from '../support/wait';

interface Row {
  touchpointId: string;
  externalKey: string | null;
  period: string;
  contacts?: number;
  csat?: { responses: number; satisfied: number };
  ces?: { responses: number; mean: number };
  nps?: { promoters: number; passives: number; detractors: number };
  verbatims?: Array<{ text: string; score?: number; at?: string }>;
}
type Details = Omit<ErrorBody, 'details'> & { details?: Array<{ row?: number; path?: string; message: string }> };

let server: TestServer;
let team: Team;

/** The demo map's touchpoints that carry an external key (the contact-reason codes), as a created demo map has them. */
const DEMO = Object.values(demoMap().map.touchpoints).filter((t) => t.externalKey !== null);
const [A, B, C] = DEMO as [(typeof DEMO)[number], (typeof DEMO)[number], (typeof DEMO)[number]];

beforeAll(async () => {
  ensureBuild();
  server = await TestServer.start();
  team = new Team(server);
}, 600_000);

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

async function demoFor(owner: Person, title = 'Figures'): Promise<string> {
  return (await owner.createMap(title, 'demo')).id;
}

async function rows(client: ApiClient, mapId: string, query = ''): Promise<Row[]> {
  const answer = await client.get<{ rows: Row[] }>(`/api/maps/${mapId}/metrics${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.rows;
}

async function token(person: Person, scope: 'read' | 'write' | 'metrics'): Promise<ApiClient> {
  const made = await person.session.post<{ token: string }>('/api/tokens', { name: `${scope} feed`, scope });
  expect(made.status, made.text).toBe(201);
  return ApiClient.withToken(server.url, made.body.token);
}

describe('PUT /api/maps/:id/metrics', () => {
  it('stores a month by external key or touchpoint id, and the same batch twice leaves the same data', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const batch = {
      period: '2026-11',
      rows: [
        { externalKey: A.externalKey, contacts: 1200, csat: { responses: 80, satisfied: 60 }, verbatims: [{ text: 'Took three calls', score: 2, at: '2026-11-03' }] },
        { touchpointId: B.id, ces: { responses: 10, mean: 4.5 }, nps: { promoters: 5, passives: 3, detractors: 2 } },
      ],
    };
    const first = await kim.api.put<{ period: string; stored: number }>(`/api/maps/${mapId}/metrics`, batch);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ period: '2026-11', stored: 2 });
    const stored = await rows(kim.api, mapId);
    expect((await kim.api.put(`/api/maps/${mapId}/metrics`, batch)).status).toBe(200);
    expect(await rows(kim.api, mapId)).toEqual(stored);
    expect(stored).toEqual(
      [
        { touchpointId: A.id, externalKey: A.externalKey, period: '2026-11', contacts: 1200, csat: { responses: 80, satisfied: 60 }, verbatims: [{ text: 'Took three calls', score: 2, at: '2026-11-03' }] },
        { touchpointId: B.id, externalKey: B.externalKey, period: '2026-11', ces: { responses: 10, mean: 4.5 }, nps: { promoters: 5, passives: 3, detractors: 2 } },
      ].sort((x, y) => x.touchpointId.localeCompare(y.touchpointId)),
    );

    // A row is replaced whole: figures left out of the new row are gone.
    expect((await kim.api.put(`/api/maps/${mapId}/metrics`, { period: '2026-11', rows: [{ externalKey: A.externalKey, contacts: 900 }] })).status).toBe(200);
    const after = await rows(kim.api, mapId);
    expect(after.find((r) => r.touchpointId === A.id)).toEqual({ touchpointId: A.id, externalKey: A.externalKey, period: '2026-11', contacts: 900 });
    expect(after.find((r) => r.touchpointId === B.id)?.ces).toEqual({ responses: 10, mean: 4.5 });
  });

  it('refuses a batch with bad rows as a 400 naming each bad row, and stores nothing', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const other = await demoFor(await team.signUp('Lee'), 'Another map');
    const blank = await kim.createMap('Blank');
    void blank;
    const answer = await kim.api.put<Details>(`/api/maps/${mapId}/metrics`, {
      period: '2026-11',
      rows: [
        { externalKey: A.externalKey, contacts: 10 },
        { externalKey: 'NO-SUCH-CODE', contacts: 1 },
        { externalKey: B.externalKey, csat: { responses: 5, satisfied: 6 } },
        { externalKey: A.externalKey, contacts: 3 },
        { touchpointId: 'tp-elsewhere', contacts: 2 },
        { externalKey: C.externalKey },
        { externalKey: C.externalKey, ces: { responses: 1, mean: 9 } },
        { externalKey: C.externalKey, contacts: -1 },
      ],
    });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error).toBe('7 rows of the push are not valid; nothing was stored');
    expect(answer.body.details?.map((d) => d.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const detail of answer.body.details ?? []) expect(detail.message.length).toBeGreaterThan(10);
    expect(answer.body.details?.[0]?.message).toBe('no touchpoint of this map has the external key "NO-SUCH-CODE"');
    expect(answer.body.details?.[2]?.message).toMatch(/same touchpoint as row 0/);
    expect(await rows(kim.api, mapId)).toEqual([]);

    // Another map's touchpoint (a real id there) is not one of this map's.
    expect((await kim.api.put(`/api/maps/${other}/metrics`, { period: '2026-11', rows: [{ touchpointId: A.id, contacts: 1 }] })).status).toBe(404);
    const foreign = await kim.api.put<Details>(`/api/maps/${mapId}/metrics`, { period: '2026-11', rows: [{ touchpointId: 'hub-of-another', contacts: 1 }] });
    expect(foreign.status).toBe(400);

    const badPeriod = await kim.api.put<Details>(`/api/maps/${mapId}/metrics`, { period: '2026-13', rows: [{ externalKey: A.externalKey, contacts: 1 }] });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.details).toEqual([{ path: 'period', message: 'period must be a month as YYYY-MM (e.g. 2026-11)' }]);
    expect(await rows(kim.api, mapId)).toEqual([]);
  });

  it('a commenter or viewer cannot push; a read token cannot; a metrics token can, and can do nothing else', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const cam = await team.signUp('Cam');
    await kim.invite(mapId, cam.email, 'commenter');
    const push = { period: '2026-10', rows: [{ externalKey: A.externalKey, contacts: 5 }] };

    const commenter = await cam.api.put<ErrorBody>(`/api/maps/${mapId}/metrics`, push);
    expect(commenter.status).toBe(403);
    expect(commenter.body.error).toBe('This needs the editor role or higher; you are a commenter');
    expect((await cam.api.delete(`/api/maps/${mapId}/metrics/2026-10`)).status).toBe(403);
    // Any member reads.
    expect(await rows(cam.api, mapId)).toEqual([]);

    const reader = await token(kim, 'read');
    const refused = await reader.put<ErrorBody>(`/api/maps/${mapId}/metrics`, push);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('This access token can only read: create a token with the write scope to make changes');

    const feed = await token(kim, 'metrics');
    expect((await feed.put(`/api/maps/${mapId}/metrics`, push)).status).toBe(200);
    expect((await rows(feed, mapId)).map((r) => r.contacts)).toEqual([5]);
    for (const [method, route, body] of [
      ['GET', '/api/maps', undefined],
      ['GET', `/api/maps/${mapId}`, undefined],
      ['GET', `/api/maps/${mapId}/annotations`, undefined],
      ['PATCH', `/api/maps/${mapId}`, { title: 'Taken over' }],
      ['POST', `/api/maps/${mapId}/collab-token`, undefined],
      ['POST', '/api/maps', { title: 'New', template: 'blank' }],
      ['DELETE', `/api/maps/${mapId}`, undefined],
    ] as const) {
      const answer = await feed.request<ErrorBody>(method, route, body);
      expect(answer.status, `${method} ${route}`).toBe(403);
      expect(answer.body.error).toMatch(/can only read and push measured figures/);
    }
    expect((await feed.delete(`/api/maps/${mapId}/metrics/2026-10`)).status).toBe(200);
    expect(await rows(kim.api, mapId)).toEqual([]);
  });

  it('takes a push larger than the API\'s 1 MiB (up to 16 MiB), refuses a larger one (413) and more than 20,000 rows', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const json = JSON.stringify({ period: '2026-11', rows: [{ externalKey: A.externalKey, contacts: 3 }] });
    const big = await kim.api.put<ErrorBody>(`/api/maps/${mapId}/metrics`, new RawBody(json + ' '.repeat(3 * 1024 * 1024)));
    expect(big.status, big.text).toBe(200);
    const tooBig = await kim.api.put<ErrorBody>(`/api/maps/${mapId}/metrics`, new RawBody(json + ' '.repeat(17 * 1024 * 1024)));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toBe('The request body is larger than 16 MiB');
    // Elsewhere the cap stays 1 MiB.
    expect((await kim.api.patch(`/api/maps/${mapId}`, new RawBody(JSON.stringify({ title: 'x' }) + ' '.repeat(2 * 1024 * 1024)))).status).toBe(413);
    const many = Array.from({ length: 20_001 }, (_, i) => ({ externalKey: `K${i}`, contacts: 1 }));
    const tooMany = await kim.api.put<ErrorBody>(`/api/maps/${mapId}/metrics`, { period: '2026-11', rows: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('at most 20000 rows a push: split the batch');
  });
});

describe('GET ranges and DELETE a month', () => {
  it('lists from/to inclusive, refuses a bad month, and DELETE removes one month only', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    for (const [period, contacts] of [['2026-08', 8], ['2026-09', 9], ['2026-10', 10], ['2026-11', 11]] as const) {
      expect((await kim.api.put(`/api/maps/${mapId}/metrics`, { period, rows: [{ externalKey: A.externalKey, contacts }] })).status).toBe(200);
    }
    expect((await rows(kim.api, mapId, '?from=2026-09&to=2026-10')).map((r) => r.period)).toEqual(['2026-09', '2026-10']);
    expect((await rows(kim.api, mapId, '?from=2026-10')).map((r) => r.period)).toEqual(['2026-10', '2026-11']);
    expect((await rows(kim.api, mapId, '?to=2026-08')).map((r) => r.period)).toEqual(['2026-08']);
    expect((await kim.api.get(`/api/maps/${mapId}/metrics?from=last-month`)).status).toBe(400);

    const removed = await kim.api.delete<{ deleted: number }>(`/api/maps/${mapId}/metrics/2026-09`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toEqual({ period: '2026-09', deleted: 1 });
    expect((await rows(kim.api, mapId)).map((r) => r.period)).toEqual(['2026-08', '2026-10', '2026-11']);
    expect((await kim.api.delete(`/api/maps/${mapId}/metrics/september`)).status).toBe(400);

    // The annotations take the stored rows and the period; done actions' outcomes come along.
    const annotations = await kim.api.get<{ measuredPeriod: string | null; measuredContacts: number | null; outcomes: unknown[] }>(`/api/maps/${mapId}/annotations?period=2026-10`);
    expect(annotations.status, annotations.text).toBe(200);
    expect(annotations.body.measuredPeriod).toBe('2026-10');
    expect(annotations.body.measuredContacts).toBe(10);
    expect(Array.isArray(annotations.body.outcomes)).toBe(true);
    const latest = await kim.api.get<{ measuredPeriod: string | null }>(`/api/maps/${mapId}/annotations`);
    expect(latest.body.measuredPeriod).toBe('2026-11');

    // Deleted with the map.
    expect((await kim.api.delete(`/api/maps/${mapId}`)).status).toBe(204);
    expect((await kim.api.get(`/api/maps/${mapId}/metrics`)).status).toBe(404);
  });
});

describe('live: an open canvas hears that figures changed', () => {
  it('a stock y-websocket client sees meta.figuresAt within two seconds of a push', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const canvas = await kim.open(mapId);
    expect(readMap(canvas.doc).meta.figuresAt).toBeUndefined();
    const before = Date.now();
    expect((await kim.api.put(`/api/maps/${mapId}/metrics`, { period: '2026-11', rows: [{ externalKey: A.externalKey, contacts: 1 }] })).status).toBe(200);
    await waitFor(() => (readMap(canvas.doc).meta.figuresAt ?? 0) >= before, { timeout: 2_000, message: 'meta.figuresAt after the push' });
  });
});

describe('CLI: metrics push and list', () => {
  it('pushes a CSV (an empty cell is not sent), lists it, and names the line of a bad row with nothing stored', async () => {
    const kim = await team.signUp('Kim');
    const mapId = await demoFor(kim);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-metrics-'));
    const good = path.join(dir, 'figures.csv');
    fs.writeFileSync(
      good,
      [
        'externalKey,contacts,csat_responses,csat_satisfied,ces_responses,ces_mean,nps_promoters,nps_passives,nps_detractors',
        `${A.externalKey},1200,80,60,,,,,`,
        `${B.externalKey},,,,10,4.5,5,3,2`,
        '',
      ].join('\n'),
    );
    expect(cliOk(await runCli(server.dataDir, ['metrics', 'push', '--map', mapId, '--period', '2026-11', '--file', good, '--json']))).toEqual({ period: '2026-11', stored: 2, map: mapId });
    const listed = cliOk(await runCli(server.dataDir, ['metrics', 'list', '--map', mapId, '--json'])) as { rows: Row[] };
    expect(listed.rows.find((r) => r.touchpointId === A.id)).toEqual({ touchpointId: A.id, externalKey: A.externalKey, period: '2026-11', contacts: 1200, csat: { responses: 80, satisfied: 60 } });
    expect(listed.rows.find((r) => r.touchpointId === B.id)).toEqual({ touchpointId: B.id, externalKey: B.externalKey, period: '2026-11', ces: { responses: 10, mean: 4.5 }, nps: { promoters: 5, passives: 3, detractors: 2 } });

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, ['externalKey,contacts,csat_responses,csat_satisfied', `${C.externalKey},7,,`, 'CR-NOPE,3,,', `${A.externalKey},1,2,5`].join('\n'));
    const refused = await runCli(server.dataDir, ['metrics', 'push', '--map', mapId, '--period', '2026-12', '--file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}, line 3: no touchpoint of this map has the external key "CR-NOPE"`);
    expect(refused.stderr).toContain(`${bad}, line 4: csat.satisfied must not exceed csat.responses`);
    const notNumber = path.join(dir, 'nan.csv');
    fs.writeFileSync(notNumber, ['externalKey,contacts', `${A.externalKey},many`].join('\n'));
    const nan = await runCli(server.dataDir, ['metrics', 'push', '--map', mapId, '--period', '2026-12', '--file', notNumber]);
    expect(nan.code).toBe(2);
    expect(nan.stderr).toContain(`line 2: contacts "many" is not a number`);
    expect((cliOk(await runCli(server.dataDir, ['metrics', 'list', '--map', mapId, '--from', '2026-12', '--json'])) as { rows: Row[] }).rows).toEqual([]);

    // A metrics token from the CLI.
    const pat = cliOk(await runCli(server.dataDir, ['pat', 'create', '--email', kim.email, '--scope', 'metrics', '--json']));
    expect(pat.scope).toBe('metrics');
  }, 120_000);
});
