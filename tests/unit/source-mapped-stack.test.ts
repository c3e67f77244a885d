/**
 * The compiled server's logged stacks name the TypeScript lines (the logger
 * maps them: server/source-mapped-stack.ts). Here a small module is compiled
 * as scripts/build-server.mjs compiles the server (esbuild, ESM, a .map
 * beside it), run, and its error's stack mapped.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackMapper } from '../../server/source-mapped-stack';

let work: string;
let outDir: string;
let stack: string;

const SOURCE = [
  'export function outer(): never {',
  '  return inner();',
  '}',
  '',
  'function inner(): never {',
  "  throw new Error('stored state cannot be read');",
  '}',
  '',
].join('\n');

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-stack-'));
  fs.writeFileSync(path.join(work, 'broken.ts'), SOURCE);
  outDir = path.join(work, 'dist');
  await build({ absWorkingDir: work, entryPoints: ['broken.ts'], outdir: outDir, bundle: true, platform: 'node', format: 'esm', sourcemap: true, logLevel: 'silent' });
  // In a process of its own: vitest's has source maps on, and would map the stack before the mapper sees it.
  const run = `import(${JSON.stringify(pathToFileURL(path.join(outDir, 'broken.js')).href)}).then((m) => { try { m.outer(); } catch (e) { process.stdout.write(e.stack); } });`;
  stack = execFileSync(process.execPath, ['--input-type=module', '-e', run], { encoding: 'utf8' });
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('stackMapper', () => {
  it('sends each of the compiled folder’s frames to its TypeScript file, line and column, keeping the function names', () => {
    expect(stack).toMatch(/broken\.js:\d+:\d+/);
    const mapped = stackMapper(outDir)(stack);
    const lines = mapped.split('\n');
    expect(lines[0]).toBe('Error: stored state cannot be read');
    expect(lines[1]).toBe(`    at inner (${path.join(work, 'broken.ts')}:6:9)`);
    expect(lines[2]).toBe(`    at Module.outer (${path.join(work, 'broken.ts')}:2:10)`);
    expect(mapped).not.toContain('broken.js');
  });

  it('maps a frame given as a plain path as it maps one given as a file URL', () => {
    const url = `    at inner (${pathToFileURL(path.join(outDir, 'broken.js')).href}:2:9)`;
    const plain = `    at inner (${path.join(outDir, 'broken.js')}:2:9)`;
    const mapper = stackMapper(outDir);
    expect(mapper(plain)).toBe(mapper(url));
    expect(mapper(plain)).toContain('broken.ts');
  });

  it('leaves frames outside the folder, and files with no readable map, as they are', () => {
    const elsewhere = '    at load (/srv/app/node_modules/next/dist/server/next-server.js:120:7)\n    at node:internal/process/task_queues:95:5';
    expect(stackMapper(outDir)(elsewhere)).toBe(elsewhere);
    fs.writeFileSync(path.join(outDir, 'unmapped.js'), 'export {};\n');
    fs.writeFileSync(path.join(outDir, 'garbled.js'), 'export {};\n');
    fs.writeFileSync(path.join(outDir, 'garbled.js.map'), '{ not json');
    const noMap = `    at f (${path.join(outDir, 'unmapped.js')}:1:1)\n    at g (${path.join(outDir, 'garbled.js')}:1:1)`;
    expect(stackMapper(outDir)(noMap)).toBe(noMap);
  });
});
