/**
 * Issue 16 §3: the exchange routes and CLI on the real server. Any member
 * exports (a stranger gets 404, never data); an import makes a new map the
 * caller owns, or answers 400 with every bad row and makes none; a file over
 * 10 MiB is refused before it is read; a cookie import from another site is
 * refused. What an export holds is what the store acknowledged, a live edit included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readCsvRows } from '../../lib/exchange/csv';
import { EXPORT_FORMATS, IMPORT_FORMATS } from '../../lib/exchange/formats';
import { attributeImported } from '../../lib/exchange/json';
import { RATE_LIMITS } from '../../server/services/rate-limits';
import { roomName } from '../../lib/journey/rooms';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { MapSummary } from '../../server/services/maps';
import { RawBody, type ErrorBody } from '../support/api-client';
import { cliFailed, cliOk, runCli } from '../support/cli';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { TestServer, stopAllServers } from '../support/server';

let server: TestServer;
let olga: Person;
let vic: Person;
let otto: Person;
let map: MapSummary;

interface ExportFile {
  format: string;
  map: JourneyMap;
  discussion?: Discussion;
}

beforeAll(async () => {
  server = await TestServer.start();
  const team = new Team(server);
  [olga, vic, otto] = await Promise.all([team.signUp('Olga'), team.signUp('Vic'), team.signUp('Otto')]);
  map = await olga.createMap('Réclamations 2026', 'demo');
  await olga.invite(map.id, vic.email, 'viewer');
}, 120_000);

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

const importFile = (person: Person, query: string, body: string | Uint8Array, contentType: string | null = 'text/csv') => person.api.post<MapSummary & ErrorBody & { details?: Array<{ row: number | null; message: string; path?: string }> }>(`/api/maps/import?${query}`, new RawBody(body, contentType));
const mapCount = async (person: Person) => ((await person.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps ?? []).length;

describe('export', () => {
  it("a viewer downloads the map as JSON named after its title, with both documents; comments=0 leaves the discussion out", async () => {
    const res = await vic.api.get<ExportFile>(`/api/maps/${map.id}/export?format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Reclamations-2026.json"; filename*=UTF-8''R%C3%A9clamations-2026.json`);
    expect(res.body.format).toBe('journeyhub-map');
    expect(res.body.map.meta.title).toBe('Réclamations 2026');
    expect(Object.keys(res.body.map.touchpoints).length).toBeGreaterThan(10);
    expect(res.body.discussion).toBeDefined();
    const without = await vic.api.get<ExportFile>(`/api/maps/${map.id}/export?format=json&comments=0`);
    expect(without.body.discussion).toBeUndefined();
  });

  it('CSV and Mermaid come as text files; an edit acknowledged a moment ago is in them', async () => {
    const editor = await olga.open(roomName(map.id, 'map'));
    const first = Object.values(readMap(editor.doc).touchpoints).find((t) => t.kind === 'touchpoint');
    if (!first) throw new Error('the demo has touchpoints');
    updateTouchpoint(editor.doc, first.id, { label: 'Relabelled, "live"' }, editor.origin);
    const watcher = await vic.open(roomName(map.id, 'map'));
    await watcher.until((doc) => readMap(doc).touchpoints[first.id]?.label === 'Relabelled, "live"');

    const csv = await vic.api.get(`/api/maps/${map.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(readCsvRows(csv.text).some((row) => row[1] === 'Relabelled, "live"')).toBe(true);
    const mermaid = await vic.api.get(`/api/maps/${map.id}/export?format=mermaid`);
    expect(mermaid.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(mermaid.text).toMatch(/^journey\n\s+title Réclamations 2026\n/);
    editor.destroy();
    watcher.destroy();
  });

  it('the PDF report is a vector PDF whose text holds the title, every stage and the figures', async () => {
    const res = await vic.api.raw(`/api/maps/${map.id}/export?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('filename="Reclamations-2026.pdf"');
    const file = path.join(server.dataDir, 'report.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const exported = (await vic.api.get<ExportFile>(`/api/maps/${map.id}/export?format=json`)).body.map;
    expect(text).toContain('Réclamations 2026');
    for (const stage of exported.stages) expect(text, stage.name).toContain(stage.name);
    const failureDemand = Object.values(exported.touchpoints).reduce((sum, t) => sum + (t.kind === 'touchpoint' ? t.contactVolume : 0), 0);
    expect(text).toContain(failureDemand.toLocaleString('en-US'));
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', file, path.join(server.dataDir, 'page')]);
    expect(fs.readdirSync(server.dataDir).some((name) => /^page-0*1\.png$/.test(name))).toBe(true);
  });

  it('a stranger gets 404 and no data; an unknown format or comments value is a 400 with a sentence', async () => {
    const stranger = await otto.api.get(`/api/maps/${map.id}/export?format=json`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain('Réclamations');
    const format = await vic.api.get(`/api/maps/${map.id}/export?format=docx`);
    expect(format.status).toBe(400);
    expect(format.body.error).toBe(`format must be one of ${EXPORT_FORMATS.join(', ')} (got "docx")`);
    expect((await vic.api.get(`/api/maps/${map.id}/export`)).status).toBe(400);
    expect((await vic.api.get(`/api/maps/${map.id}/export?format=json&comments=no`)).body.error).toMatch(/^comments must be 0/);
  });
});

describe('import', () => {
  it('JSON as exported gives back the same map, owned by whoever imports it', async () => {
    const exported = await vic.api.get<ExportFile>(`/api/maps/${map.id}/export?format=json`);
    const created = await importFile(vic, 'format=json', exported.text, 'application/json');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Réclamations 2026', role: 'owner' });
    const again = await vic.api.get<ExportFile>(`/api/maps/${created.body.id}/export?format=json`);
    expect(again.body.map).toEqual(exported.body.map);
    // The words are the same; others' comments and dots are marked as imported (the next test).
    const vicId = String((await vic.api.get<{ id: string }>('/api/account')).body.id);
    expect(again.body.discussion).toEqual(attributeImported(exported.body.discussion ?? { comments: {}, votes: {} }, vicId));
  });

  it("a JSON file cannot put words in someone else's mouth: comments and dots of others come in marked as imported, not as theirs", async () => {
    const olgaId = String((await olga.api.get<{ id: string }>('/api/account')).body.id);
    const vicId = String((await vic.api.get<{ id: string }>('/api/account')).body.id);
    const file = (await vic.api.get<ExportFile>(`/api/maps/${map.id}/export?format=json`)).body;
    const touchpointId = Object.values(file.map.touchpoints).find((t) => t.kind === 'touchpoint')?.id ?? '';
    file.discussion = {
      comments: {
        forged: { id: 'forged', touchpointId, parentId: null, authorId: olgaId, authorName: 'Olga', body: 'I approve the budget.', createdAt: Date.now(), resolved: false },
        own: { id: 'own', touchpointId, parentId: null, authorId: vicId, authorName: 'Vic', body: 'Mine.', createdAt: Date.now(), resolved: false },
      },
      votes: { [touchpointId]: { [olgaId]: 5, [vicId]: 1 } },
    };
    const created = await importFile(vic, 'format=json', JSON.stringify(file), 'application/json');
    expect(created.status).toBe(201);
    const back = (await vic.api.get<ExportFile>(`/api/maps/${created.body.id}/export?format=json`)).body.discussion;
    expect(back?.comments.forged).toMatchObject({ authorId: `imported:${olgaId}`, authorName: 'Olga (imported)', body: 'I approve the budget.' });
    expect(back?.comments.own).toMatchObject({ authorId: vicId, authorName: 'Vic' });
    expect(back?.votes[touchpointId]).toEqual({ [`imported:${olgaId}`]: 5, [vicId]: 1 });
  });

  it('CSV with a mapping and a title: a new map laid out by stage', async () => {
    const csv = 'Phase,Touchpoint,Team\nKaufen,Online-Shop,E-Commerce\nKaufen,Hotline,Vertrieb\nNutzen,App,\n';
    const created = await importFile(olga, `format=csv&title=${encodeURIComponent('Aus der Tabelle')}&mapping=${encodeURIComponent(JSON.stringify({ stage: 'Phase', label: 'Touchpoint', owner: 'Team' }))}`, csv);
    expect(created.status).toBe(201);
    const file = (await olga.api.get<ExportFile>(`/api/maps/${created.body.id}/export?format=json`)).body;
    expect(file.map.meta.title).toBe('Aus der Tabelle');
    expect(file.map.stages.map((s) => s.name)).toEqual(['Kaufen', 'Nutzen']);
    expect(Object.values(file.map.touchpoints).filter((t) => t.kind === 'touchpoint').map((t) => [t.label, t.owner])).toEqual([
      ['Online-Shop', 'E-Commerce'],
      ['Hotline', 'Vertrieb'],
      ['App', null],
    ]);
  });

  it('XLSX as exported comes back in: the same touchpoints, stage by stage', async () => {
    const workbook = new Uint8Array(await (await olga.api.raw(`/api/maps/${map.id}/export?format=xlsx`)).arrayBuffer());
    expect(Buffer.from(workbook.subarray(0, 2)).toString('latin1')).toBe('PK');
    const created = await importFile(olga, 'format=xlsx&title=From%20Excel', workbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(created.status).toBe(201);
    const labels = async (id: string) => readCsvRows((await olga.api.get(`/api/maps/${id}/export?format=csv`)).text).map((row) => `${row[0]}|${row[1]}|${row[3]}|${row[5]}`);
    expect(await labels(created.body.id)).toEqual(await labels(map.id));
  });

  it('a CSV with bad rows is a 400 naming each row, and no map is made', async () => {
    const before = await mapCount(olga);
    const res = await importFile(olga, 'format=csv', 'stage,label,emotion\nBuy,Shop,1\nBuy,,0\nUse,App,9\n');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('2 rows are not valid; nothing was imported');
    expect(res.body.details).toEqual([
      { row: 3, message: 'label must not be empty' },
      { row: 4, message: 'emotion must be between -2 and 2 (got 9)' },
    ]);
    expect(await mapCount(olga)).toBe(before);
  });

  it('refuses what it cannot take, with a sentence and no map: a bad format, a mapping for JSON, a non-UTF-8 file, an unknown mapping field', async () => {
    const before = await mapCount(olga);
    expect((await importFile(olga, 'format=pdf', 'x')).body.error).toBe(`format must be one of ${IMPORT_FORMATS.join(', ')} (got "pdf")`);
    expect((await importFile(olga, `format=json&mapping=${encodeURIComponent('{"label":"x"}')}`, '{}', 'application/json')).body.error).toBe('mapping is for CSV and XLSX files only');
    const latin1 = Uint8Array.from([...Buffer.from('stage,label\nKaufen,Gr'), 0xfc, ...Buffer.from('n\n')]);
    const notUtf8 = await importFile(olga, 'format=csv', latin1);
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.error).toMatch(/not UTF-8 text/);
    expect((await importFile(olga, `format=csv&mapping=${encodeURIComponent('{"colour":"x"}')}`, 'label\nA\n')).body.error).toMatch(/mapping names "colour", which is no field/);
    expect((await importFile(olga, 'format=json', '{"format":"journeyhub-map","version":1,"map":{}}', 'application/json')).body.details?.[0]).toMatchObject({ path: 'map.meta' });
    expect(await mapCount(olga)).toBe(before);
  });

  it('a hostile file under the limit is a 400 naming the limit it passed, and the server goes on serving', async () => {
    const before = await mapCount(olga);
    const blank = await importFile(olga, 'format=csv', `label\n${'\n'.repeat(10 * 1024 * 1024 - 10)}`);
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatch(/at most 20,000 rows/);
    const wide = await importFile(olga, 'format=csv', `label,stage\nShop,${','.repeat(5 * 1024 * 1024)}\n`);
    expect(wide.body.error).toMatch(/at most 200 columns/);
    const deep = await importFile(olga, 'format=json', '['.repeat(10 * 1024 * 1024 - 10), 'application/json');
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatch(/^The file is not JSON/);
    expect((await olga.api.get(`/api/maps/${map.id}`)).status).toBe(200);
    expect(await mapCount(olga)).toBe(before);
  });

  it('a file over 10 MiB is refused (413) by its Content-Length, before it is read', async () => {
    const res = await importFile(olga, 'format=csv', 'x'.repeat(10 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('The request body is larger than 10 MiB');
  });

  it("with the cookie: the app's own page may upload a CSV; another site may not (403), and nothing is made", async () => {
    const before = await mapCount(olga);
    const own = await olga.session.post<MapSummary>('/api/maps/import?format=csv', new RawBody('label\nShop\n', 'text/csv', { origin: server.url }));
    expect(own.status).toBe(201);
    const forged = await olga.session.post<ErrorBody>('/api/maps/import?format=csv', new RawBody('label\nForged\n', 'text/plain', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }));
    expect(forged.status).toBe(403);
    expect(await mapCount(olga)).toBe(before + 1);
  });
});

describe('what one account may ask of the server in a short time', () => {
  it('imports and the heavy exports (PDF, Excel) are rate-limited per account with a sentence (429); light exports and other people go on', async () => {
    const [importLimit] = RATE_LIMITS.importsPerAccount;
    const [reportLimit] = RATE_LIMITS.reportsPerAccount;
    for (let i = 0; i < importLimit; i++) expect((await importFile(otto, 'format=csv', 'label\nShop\n')).status).toBe(201);
    const refused = await importFile(otto, 'format=csv', 'label\nShop\n');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('Too many imports in a short time: wait a few minutes and try again');
    const own = (await otto.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps[0]?.id ?? '';
    for (let i = 0; i < reportLimit; i++) expect((await otto.api.raw(`/api/maps/${own}/export?format=xlsx`)).status).toBe(200);
    const report = await otto.api.get(`/api/maps/${own}/export?format=pdf`);
    expect(report.status).toBe(429);
    expect(report.body.error).toBe('Too many PDF reports and Excel workbooks in a short time: wait a few minutes and try again');
    expect((await otto.api.raw(`/api/maps/${own}/export?format=csv`)).status).toBe(200);
    expect((await importFile(olga, 'format=csv', 'label\nShop\n')).status).toBe(201);
  }, 120_000);
});

describe('CLI', () => {
  it('export writes the file; import makes a map of the owner named, or exits 2 with every bad row and makes none', async () => {
    const out = `${server.dataDir}/export.csv`;
    const exported = cliOk(await runCli(server.dataDir, ['export', '--map', map.id, '--format', 'csv', '--out', out, '--json']));
    expect(exported).toMatchObject({ map: map.id, out, contentType: 'text/csv; charset=utf-8' });
    const created = cliOk(await runCli(server.dataDir, ['import', '--file', out, '--format', 'csv', '--owner', olga.email, '--title', 'From the CLI', '--json']));
    expect(created).toMatchObject({ title: 'From the CLI', owner: olga.email });
    const listed = (await olga.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps.find((m) => m.id === created.id);
    expect(listed?.role).toBe('owner');

    const bad = `${server.dataDir}/bad.csv`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'stage,label,channel\nBuy,Shop,fax\n');
    const failed = await runCli(server.dataDir, ['import', '--file', bad, '--format', 'csv', '--owner', olga.email]);
    cliFailed(failed, 2, 'One row is not valid; nothing was imported');
    expect(failed.stderr).toContain(`${bad}, row 2: channel must be one of web, app, phone, chat, email, store, social, other (got "fax")`);
  });
});
