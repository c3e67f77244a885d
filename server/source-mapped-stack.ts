import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces in the log that name the TypeScript line, for the compiled
 * server (dist/server/*.js and the .map files esbuild writes beside them).
 *
 * Not Node's `--enable-source-maps`: that flag reads and keeps the map of every
 * module the process loads, and Next's server chunks and runtime bring 640 of
 * them, 32 MB of JSON held for the life of the process (70 MB of RSS,
 * docs/collaboration.md, "Memory"). And once Next has loaded, its own
 * `Error.prepareStackTrace` formats every stack unmapped, flag or not. Here a
 * stack is mapped when it is logged, only the server's own frames, each
 * file's map read the first time one of its frames is logged.
 */
export type StackMapper = (stack: string) => string;

/** A frame's location: a file URL or an absolute path to a .js file, its line and column. */
const LOCATION = /(file:\/\/[^\s()]+?\.js|\/[^\s()]+?\.js):(\d+):(\d+)/g;

/** Maps the frames whose file is in `dir` (the compiled server's folder); leaves every other frame as it is. */
export function stackMapper(dir: string): StackMapper {
  const maps = new Map<string, SourceMap | null>();

  const mapOf = (file: string): SourceMap | null => {
    let map = maps.get(file);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      } catch {
        // No map, or one that cannot be read: the frame stays as compiled, which still names the file and line.
        map = null;
      }
      maps.set(file, map);
    }
    return map;
  };

  return (stack) =>
    stack.replace(LOCATION, (whole, location: string, line: string, column: string) => {
      const file = location.startsWith('file:') ? fileURLToPath(location) : location;
      if (path.dirname(file) !== dir) return whole;
      const origin = mapOf(file)?.findOrigin(Number(line), Number(column));
      if (origin === undefined || !('fileName' in origin)) return whole;
      const source = origin.fileName.startsWith('file:') ? fileURLToPath(origin.fileName) : path.resolve(dir, origin.fileName);
      return `${source}:${origin.lineNumber}:${origin.columnNumber}`;
    });
}

/**
 * For the logger: maps the compiled server's frames when this module runs
 * from dist/server; run from the sources (tests, `npm run dev`), the frames
 * already name the .ts files and it changes nothing.
 */
export const sourceMappedStack: StackMapper = import.meta.url.endsWith('.js')
  ? stackMapper(path.dirname(fileURLToPath(import.meta.url)))
  : (stack) => stack;
