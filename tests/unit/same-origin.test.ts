import { describe, expect, it } from 'vitest';
import { crossSiteReason, sameOriginPath, sameOriginUrl } from '../../lib/http/same-origin';

const APP = 'http://localhost:3000';

describe('sameOriginPath: where sign-in may send the browser', () => {
  it.each([
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['//evil.example'],
    ['///evil.example'],
    ['https://evil.example/'],
    ['http://localhost:3001/'],
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    [''],
  ])('%j falls back to /', (value) => {
    expect(sameOriginPath(value, APP)).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/maps/abc', '/maps/abc'],
    ['/maps/abc?tab=versions#v1', '/maps/abc?tab=versions#v1'],
    ['http://localhost:3000/maps/abc', '/maps/abc'],
    ['maps/abc', '/maps/abc'],
    ['/maps/../login', '/login'],
    // A scheme-relative URL of the base's own scheme is a path (URL standard): it stays on the app.
    ['http:evil.example', '/evil.example'],
  ])('%j stays in the app as %j', (value, path) => {
    expect(sameOriginPath(value, APP)).toBe(path);
  });

  it('no value or a bad origin gives the fallback', () => {
    expect(sameOriginPath(undefined, APP, '/home')).toBe('/home');
    expect(sameOriginPath(null, APP)).toBe('/');
    expect(sameOriginPath('/maps', 'not a url')).toBe('/');
  });
});

describe('sameOriginUrl: next-auth’s redirect callback', () => {
  it('keeps the app’s own URLs and turns every other into the app’s root', () => {
    expect(sameOriginUrl('/maps/abc', APP)).toBe(`${APP}/maps/abc`);
    expect(sameOriginUrl(`${APP}/maps/abc`, APP)).toBe(`${APP}/maps/abc`);
    expect(sameOriginUrl('https://evil.example/x', APP)).toBe(`${APP}/`);
    expect(sameOriginUrl('/\\evil.example', `${APP}/`)).toBe(`${APP}/`);
    expect(sameOriginUrl('//evil.example', APP)).toBe(`${APP}/`);
  });
});

describe('crossSiteReason: which cookie requests count as the app’s own', () => {
  const host = 'localhost:3000';
  it('refuses another origin and cross-site or same-site fetch metadata', () => {
    expect(crossSiteReason({ origin: 'https://evil.example', secFetchSite: null, host }, [])).toMatch(/another site/);
    expect(crossSiteReason({ origin: null, secFetchSite: 'cross-site', host }, [])).toMatch(/another site/);
    expect(crossSiteReason({ origin: null, secFetchSite: 'same-site', host }, [])).toMatch(/another site/);
    expect(crossSiteReason({ origin: 'null', secFetchSite: null, host }, [])).toMatch(/another site/);
    expect(crossSiteReason({ origin: 'http://localhost:3001', secFetchSite: null, host }, [])).toMatch(/another site/);
  });

  it('accepts the request’s own host, the configured origin, and clients that send neither header', () => {
    expect(crossSiteReason({ origin: 'http://localhost:3000', secFetchSite: 'same-origin', host }, [])).toBeNull();
    expect(crossSiteReason({ origin: 'https://journeys.example.com', secFetchSite: 'same-origin', host: 'internal:3000' }, ['https://journeys.example.com'])).toBeNull();
    expect(crossSiteReason({ origin: null, secFetchSite: null, host }, [])).toBeNull();
  });
});
