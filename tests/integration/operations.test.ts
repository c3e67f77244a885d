/**
 * Issue 12 §6, operations: DATA_DIR and its files are private to the server's
 * account (0700 and 0600, also when they existed with looser modes); the demo
 * password never reaches a log that is not a terminal; /api/metrics answers
 * only METRICS_TOKEN when it is set. Real server processes (WEB=off) on fresh
 * temporary directories; their stdout is a pipe, as under a log collector.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestServer, stopAllServers } from '../support/server';
import { sqliteOnly } from '../support/engine';

const mode = (file: string): string => `0${(fs.statSync(file).mode & 0o777).toString(8)}`;

function freshParent(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-ops-'));
}

const parents: string[] = [];
afterAll(async () => {
  await stopAllServers();
  for (const dir of parents) fs.rmSync(dir, { recursive: true, force: true });
});

sqliteOnly('the modes of the SQLite database, its -wal and -shm in DATA_DIR').describe('DATA_DIR is private', () => {
  it('a DATA_DIR the server creates is 0700; the database, its -wal and -shm and the generated auth secret are 0600', async () => {
    const parent = freshParent();
    parents.push(parent);
    const dataDir = path.join(parent, 'data');
    const server = await TestServer.start({ web: false, dataDir, env: { AUTH_SECRET: '' } });
    await server.health();
    const files = ['journeyhub.sqlite', 'journeyhub.sqlite-wal', 'journeyhub.sqlite-shm', 'auth-secret'];
    expect(Object.fromEntries([['.', mode(dataDir)], ...files.map((f) => [f, mode(path.join(dataDir, f))])])).toEqual({
      '.': '0700',
      ...Object.fromEntries(files.map((f) => [f, '0600'])),
    });
    await server.stop();
  });

  it('an existing DATA_DIR (0755) with files of ours readable by all (0644) is tightened to 0700 and 0600, with a warning naming the old mode', async () => {
    const parent = freshParent();
    parents.push(parent);
    const dataDir = path.join(parent, 'data');
    const first = await TestServer.start({ web: false, dataDir, env: { AUTH_SECRET: '' } });
    await first.stop();
    fs.chmodSync(dataDir, 0o755);
    const files = ['journeyhub.sqlite', 'auth-secret'];
    for (const f of files) fs.chmodSync(path.join(dataDir, f), 0o644);

    const server = await TestServer.start({ web: false, dataDir, env: { AUTH_SECRET: '' } });
    await server.health();
    expect(mode(dataDir)).toBe('0700');
    for (const f of [...files, 'journeyhub.sqlite-wal', 'journeyhub.sqlite-shm']) expect([f, mode(path.join(dataDir, f))]).toEqual([f, '0600']);
    expect(server.logs.find((l) => l.msg.startsWith('DATA_DIR was open to other accounts'))).toMatchObject({ level: 40, was: '0755' });
    await server.stop();
  });
});

describe('the demo password is never in a log', () => {
  it('first start with SEED_DEMO=on and stdout not a terminal: the password goes to DATA_DIR/demo-credentials.txt (0600), the log names that file, stdout holds no password; a restart writes nothing new', async () => {
    const server = await TestServer.start({ web: false, env: { SEED_DEMO: 'on' } });
    const file = path.join(server.dataDir, 'demo-credentials.txt');
    const line = await server.waitForLog((l) => l.msg === 'first start: created the demo map');
    expect(line).toMatchObject({ credentialsFile: file, email: 'demo@journeyhub.local' });
    expect(mode(file)).toBe('0600');
    const password = /^password: (\S+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
    expect(password).toMatch(/^\S{8,}$/);
    expect(server.stdout).not.toContain(password);
    expect(server.stdout).not.toContain('password:');
    await server.stop();

    const again = await server.restart();
    await again.health();
    expect(fs.readFileSync(file, 'utf8')).toContain(`password: ${password}`);
    expect(again.logs.some((l) => l.msg.startsWith('first start'))).toBe(false);
    await again.stop();
  });
});

describe('/api/metrics behind METRICS_TOKEN', () => {
  const TOKEN = 'metrics-token-for-the-scraper-0123';

  it('with METRICS_TOKEN set: no header, another token, another scheme or the token with a suffix are 401 with a sentence; Bearer <METRICS_TOKEN> gets the metrics', async () => {
    const server = await TestServer.start({ web: false, env: { METRICS_TOKEN: TOKEN } });
    const get = (authorization?: string) => fetch(`${server.url}/api/metrics`, { headers: authorization ? { authorization } : {} });
    for (const authorization of [undefined, 'Bearer wrong-token-of-the-same-size-x', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer ']) {
      const res = await get(authorization);
      expect([authorization, res.status]).toEqual([authorization, 401]);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ error: 'The metrics need the header Authorization: Bearer <METRICS_TOKEN>' });
    }
    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('journeyhub_');
    // Health stays open: load balancers probe it without a token.
    expect((await server.health()).ok).toBe(true);
    await server.stop();
  });

  it('without METRICS_TOKEN the metrics stay open; a METRICS_TOKEN too short stops the start with a sentence naming it', async () => {
    const open = await TestServer.start({ web: false });
    expect((await fetch(`${open.url}/api/metrics`)).status).toBe(200);
    await open.stop();
    await expect(TestServer.start({ web: false, env: { METRICS_TOKEN: 'short' } })).rejects.toThrow('METRICS_TOKEN must be at least 16 characters long');
  });
});
