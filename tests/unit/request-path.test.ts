import { describe, expect, it } from 'vitest';
import { unreadablePathReason } from '../../lib/http/request-path';

describe('unreadablePathReason: paths whose percent-encoding cannot be decoded', () => {
  it.each(['/api/maps/%', '/api/maps/%ZZ', '/maps/abc%', '/api/tokens/%E0%A4%A', '/%C3'])('refuses %s with a sentence', (path) => {
    expect(unreadablePathReason(path)).toMatch(/broken percent-encoding/);
  });

  it.each(['/', '/api/maps/abc', '/api/maps/%00', '/maps/%2e%2e', '/api/maps/caf%C3%A9', '/%25'])('accepts %s', (path) => {
    expect(unreadablePathReason(path)).toBeNull();
  });
});
