/**
 * The browser's connection decisions (lib/collab/connection.ts) without a
 * server: what each close code makes the session do, what a fresh token
 * changes, and the state the screen shows.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import { FRESH, afterAccessCheck, afterRenewal, closeAction, lockOfTokenRefusal, observe, refusalOf, type Observed, type TokenAnswer } from '../../lib/collab/connection';

const editor: TokenAnswer = { token: 't1', role: 'editor' };

describe('close codes', () => {
  it('renews the token quietly on a role change, final or not; asks for access on 4403/4404; renews on 4401; refuses other final codes; reconnects otherwise', () => {
    expect(closeAction(CloseCode.RoleChanged, false)).toBe('renew-token-quietly');
    expect(closeAction(CloseCode.RoleChanged, true)).toBe('renew-token-quietly');
    expect(closeAction(CloseCode.Unauthorized, true)).toBe('renew-token');
    expect(closeAction(CloseCode.Forbidden, true)).toBe('check-access');
    expect(closeAction(CloseCode.NotFound, true)).toBe('check-access');
    expect(closeAction(CloseCode.TooLarge, true)).toBe('refuse');
    expect(closeAction(CloseCode.TooManyRequests, true)).toBe('refuse');
    expect(closeAction(CloseCode.TooSlow, false)).toBe('reconnect');
    expect(closeAction(CloseCode.GoingAway, false)).toBe('reconnect');
    expect(closeAction(1006, false)).toBe('reconnect');
  });

  it('says why in words a person can act on', () => {
    expect(refusalOf(CloseCode.Forbidden, 'stages cannot hold that kind of entry').message).toBe('The server refused a change: stages cannot hold that kind of entry.');
    expect(refusalOf(CloseCode.Forbidden, '').message).toBe('You may not change this map.');
    expect(refusalOf(CloseCode.NotFound, '').message).toBe('This map no longer exists.');
    expect(refusalOf(CloseCode.TooManyRequests, '').message).toMatch(/reload the page/);
    expect(refusalOf(4999, '')).toEqual({ code: 4999, message: 'The connection was closed (4999).' });
  });

  it('after a 4403, a token still granted means a refused change; a refusal naming the lock, or a 404, means the map is gone', () => {
    expect(afterAccessCheck(CloseCode.Forbidden, 'no', { ok: true })).toEqual({ refusal: { code: 4403, message: 'The server refused a change: no.' } });
    const lock = lockOfTokenRefusal('Alice Ng removed you from this map on 2 Dec 2026', 'removed');
    expect(lock).toEqual({ reason: 'removed', message: 'Alice Ng removed you from this map on 2 Dec 2026.' });
    expect(afterAccessCheck(CloseCode.Forbidden, '', { status: 403, message: 'x', lock })).toEqual({ lock });
    expect(afterAccessCheck(CloseCode.NotFound, '', { status: 404, message: 'x', lock: null })).toEqual({ lock: { reason: 'deleted', message: 'This map no longer exists.' } });
    expect(afterAccessCheck(CloseCode.Forbidden, '', { status: 500, message: 'x', lock: null })).toMatchObject({ refusal: { code: 4403 } });
    expect(lockOfTokenRefusal('x', 'stranger')).toBeNull();
    expect(lockOfTokenRefusal(undefined, 'removed')).toBeNull();
  });
});

describe('a token renewal', () => {
  it('tells what changed, by whom, and restarts the documents the new role may no longer write', () => {
    expect(afterRenewal(editor, { ok: true, answer: { token: 't2', role: 'viewer', roleChangedBy: 'Alice Ng' } })).toEqual({
      kind: 'renewed',
      notice: 'Alice Ng made you a viewer: you can read the map and its comments.',
      restart: ['map', 'discussion'],
    });
    expect(afterRenewal(editor, { ok: true, answer: { token: 't2', role: 'commenter' } })).toEqual({
      kind: 'renewed',
      notice: 'You are now a commenter of this map: you can read the map and comment, but not change it.',
      restart: ['map'],
    });
    // An upgrade restarts nothing; the same role (an expired token) says nothing; a merge has its own banner.
    expect(afterRenewal({ token: 't', role: 'viewer' }, { ok: true, answer: { token: 't2', role: 'owner' } })).toMatchObject({ restart: [] });
    expect(afterRenewal(editor, { ok: true, answer: { token: 't2', role: 'editor' } })).toEqual({ kind: 'renewed', notice: null, restart: [] });
    expect(afterRenewal(editor, { ok: true, answer: { token: 't2', role: 'viewer', merged: { masterId: 'm', masterTitle: 'M', mergedAt: 1 } } })).toMatchObject({ notice: null });
  });

  it('locks on a named lock or a 404, asks to sign in on a 401, and retries on anything else', () => {
    const lock = { reason: 'deleted' as const, message: 'Gone.' };
    expect(afterRenewal(editor, { status: 403, message: 'x', lock })).toEqual({ kind: 'locked', lock });
    expect(afterRenewal(editor, { status: 404, message: 'x', lock: null })).toEqual({ kind: 'locked', lock: { reason: 'removed', message: 'You no longer have access to this map.' } });
    expect(afterRenewal(editor, { status: 401, message: 'x', lock: null })).toEqual({ kind: 'refused', refusal: { code: 4401, message: 'Your session ended: sign in again.' } });
    expect(afterRenewal(editor, { status: 502, message: 'x', lock: null })).toEqual({ kind: 'retry' });
    expect(afterRenewal(editor, { network: true })).toEqual({ kind: 'retry' });
  });
});

describe('what the screen shows', () => {
  const base: Observed = { connected: false, synced: false, online: true, localReady: false, holding: false, refused: false, locked: false };

  it('connecting, connected, then reconnecting after a drop, with the documents kept on screen', () => {
    let step = observe(FRESH, base);
    expect(step).toEqual({ state: 'connecting', memory: { everConnected: false, ready: false } });
    step = observe(step.memory, { ...base, connected: true, synced: true, localReady: true });
    expect(step).toEqual({ state: 'connected', memory: { everConnected: true, ready: true } });
    step = observe(step.memory, { ...base, localReady: true });
    expect(step).toEqual({ state: 'reconnecting', memory: { everConnected: true, ready: true } });
  });

  it('offline at once when the browser says so, showing what this browser holds', () => {
    expect(observe(FRESH, { ...base, online: false, localReady: true })).toEqual({ state: 'offline', memory: { everConnected: false, ready: true } });
    expect(observe(FRESH, { ...base, online: false })).toMatchObject({ state: 'offline', memory: { ready: false } });
  });

  it('stays "connected" while the sockets are held down for a new token, and is closed once refused or locked', () => {
    const connected = observe(FRESH, { ...base, connected: true, synced: true }).memory;
    expect(observe(connected, { ...base, holding: true }).state).toBe('connected');
    expect(observe(FRESH, { ...base, holding: true }).state).toBe('connecting');
    expect(observe(connected, { ...base, refused: true }).state).toBe('closed');
    // A locked map shows its lock over the documents, even before any arrived.
    expect(observe(FRESH, { ...base, locked: true })).toEqual({ state: 'closed', memory: { everConnected: false, ready: true } });
  });
});
