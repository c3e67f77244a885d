/**
 * Issue 14 §3 with the real app (production build): two processes with one
 * REDIS_URL count one budget. Failed sign-ins and sign-ups spread over both
 * are refused after the same number as on one, with the same 429 answers:
 * a guesser gains nothing by reaching another process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, stopAllServers } from '../support/server';
import { PASSWORD } from '../support/people';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason, uniquePrefix } from '../support/redis';
import { signInFrom, signUpFrom, type From } from '../support/sign-in-from';

announceRedisSkip('rate limits across processes');

const INCORRECT = 'Email or password is incorrect';
const TOO_MANY = 'Too many failed sign-ins. Wait 15 minutes and try again.';

describe.skipIf(redisSkipReason !== null)('rate limits shared by two processes through Redis', () => {
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    // Its own prefix: another run on the same Redis within the hour must not find these counts.
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: uniquePrefix('app') };
    [one, two] = await Promise.all([TestServer.start({ env }), TestServer.start({ env })]);
  });
  afterAll(async () => {
    await stopAllServers();
  });

  it('five wrong passwords spread over both processes: the sixth is refused on either', async () => {
    const stranger: From = { localAddress: '127.0.0.3' };
    const email = `target.${process.pid}@example.com`;
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const server = attempt % 2 === 0 ? two : one;
      expect((await signInFrom(server.url, stranger, email, `wrong ${attempt}`)).error, `attempt ${attempt}`).toBe(INCORRECT);
    }
    expect(await signInFrom(one.url, stranger, email, 'wrong 6')).toMatchObject({ ok: false, error: TOO_MANY });
    expect(await signInFrom(two.url, stranger, email, 'wrong 7')).toMatchObject({ ok: false, error: TOO_MANY });
  });

  it('thirty sign-ups from one address spread over both processes, then 429 with the same sentence on either', async () => {
    const from: From = { localAddress: '127.0.0.4' };
    for (let n = 1; n <= 30; n += 1) {
      const server = n % 2 === 0 ? two : one;
      const answer = await signUpFrom(server.url, from, { email: `bulk${n}.${process.pid}@example.com`, name: `Bulk ${n}`, password: PASSWORD });
      expect(answer.status, `sign-up ${n}`).toBe(202);
    }
    for (const server of [one, two]) {
      const refused = await signUpFrom(server.url, from, { email: `bulk31.${process.pid}@example.com`, name: 'Bulk 31', password: PASSWORD });
      expect(refused).toEqual({ status: 429, body: { error: 'Too many sign-ups from your address. Wait an hour and try again.' } });
    }
  });
});
