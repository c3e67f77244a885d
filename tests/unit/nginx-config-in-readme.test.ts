/**
 * The README quotes the nginx configuration the cluster tests run
 * (deploy/nginx/journeyhub.conf.template): the copy an operator reads must be
 * the file the tests prove.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('README, "Behind a proxy"', () => {
  it('quotes deploy/nginx/journeyhub.conf.template whole', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const template = fs.readFileSync(path.join(root, 'deploy/nginx/journeyhub.conf.template'), 'utf8').trimEnd();
    const quoted = /#### Behind a proxy[\s\S]*?```nginx\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(quoted, 'an ```nginx block under "Behind a proxy"').toBeDefined();
    expect(quoted).toBe(template);
  });
});
