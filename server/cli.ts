/**
 * `npm run cli -- <command>`: operators' and scripts' access to the same
 * store the server uses (it may be running: SQLite in WAL mode takes both).
 * Every command takes --json (one JSON object on the last line of stdout);
 * errors are a sentence on stderr and a non-zero exit code.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { MetricsCsvError, parseMetricsCsv, type CsvRow } from '../lib/measurements/csv';
import type { RowProblem } from '../lib/measurements/input';
import { MAX_TOKEN_EXPIRY_DAYS, TokenExpiryDaysSchema, TokenScopeSchema, type TokenScope } from '../lib/permissions/account-input';
import { loadConfig } from './config';
import { openStores } from './db/open-stores';
import { DatabaseUnavailableError } from './db/postgres';
import { CliLive } from './cli-live';
import { resolveAuthSecret } from './secret';
import type { Actor, ServiceContext } from './services/context';
import { loadPdfRenderer } from './exchange/load-pdf-renderer';
import { signOutEverywhere } from './services/account-security';
import { MAX_IMPORT_BODY_BYTES } from '../lib/http/same-origin';
import { exportMap, importMap } from './services/exchange';
import { createMap, listMaps } from './services/maps';
import { addMember, removeMember } from './services/members';
import { listMetrics, pushMetrics } from './services/metrics';
import { ServiceError } from './services/service-error';
import { createPersonalToken, issueCollabToken, revokePersonalToken } from './services/tokens';
import { requireUserByEmail, signUp, toActor } from './services/users';
import { listVersions, restoreVersion, saveVersion } from './services/versions';
import { memoryRateLimits } from './services/rate-limits';
import { diffWorkshop, mergeWorkshop, setMaster, startWorkshop } from './services/workshops';

const USAGE = `Usage: npm run cli -- <command> [options] [--json]

  user add --email E --name N --password P      create an account (prints its id)
  user signout --email E                        end every session of the account (sign out everywhere)
  map create --title T --owner EMAIL [--template blank|demo]   create a map (prints its id)
  map list [--email EMAIL]                      every map, or those EMAIL is a member of
  member add --map ID --email E --role editor|commenter|viewer
  member remove --map ID --email E
  token --map ID --email E                      a collaboration token for E's role on the map
  pat create --email E [--name N] [--scope read|write|metrics] [--expires-days D]
                                                a personal access token (prints id and token);
                                                scope write and 90 days unless given (1 to 365 days)
  pat revoke --id ID
  map master --map ID --email OWNER [--off]   mark a map as a master (or not)
  workshop start --map MASTER --email E [--title T]   a workshop copy of a master map (prints its id)
  diff --map COPY --email E                     the copy's changes against its master
  merge --map COPY --email E --all              merge every change of the copy that is not a conflict
  version save --map ID --email E --name N      keep the map as it is now (prints the version id)
  version list --map ID --email E
  version restore --map ID --id VERSION --email E
  metrics push --map ID --period YYYY-MM --file F.csv [--email E]
                                                push a month of measured figures (CSV: externalKey,contacts,
                                                csat_responses,csat_satisfied,ces_responses,ces_mean,nps_promoters,
                                                nps_passives,nps_detractors; an empty cell is not sent); as the owner
                                                unless --email names an editor
  metrics list --map ID [--from YYYY-MM] [--to YYYY-MM] [--email E]
  export --map ID --format json|csv|xlsx|mermaid|pdf --out FILE [--email E] [--no-comments]
                                                write the map to FILE (as the owner unless --email names a member)
  import --file FILE --format json|csv|xlsx|mermaid --owner EMAIL [--title T] [--mapping JSON]
                                                a new map of OWNER's from FILE (prints its id); CSV columns by
                                                the export's names unless --mapping '{"label":"Column",…}'

Environment: DATA_DIR (default ./data), AUTH_SECRET (default: the one generated into DATA_DIR);
REDIS_URL and REDIS_PREFIX as the servers have them: running processes then act at once on role changes,
removals, sign-outs, merges and restores made here (without it, at their next role check).`;

class UsageError extends Error {}

const EXIT = { usage: 2, failure: 1 } as const;

type Options = Record<string, string | boolean | undefined>;

function need(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function tokenScopeOption(options: Options): TokenScope | undefined {
  const value = options.scope;
  if (value === undefined) return undefined;
  const parsed = TokenScopeSchema.safeParse(value);
  if (!parsed.success) throw new UsageError('--scope must be "read", "write" or "metrics"');
  return parsed.data;
}

function tokenExpiryOption(options: Options): number | undefined {
  const value = options['expires-days'];
  if (value === undefined) return undefined;
  const parsed = TokenExpiryDaysSchema.safeParse(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN);
  if (!parsed.success) throw new UsageError(`--expires-days must be a whole number of days from 1 to ${MAX_TOKEN_EXPIRY_DAYS}`);
  return parsed.data;
}

async function asActor(ctx: ServiceContext, email: string): Promise<Actor> {
  return toActor(await requireUserByEmail(ctx, email));
}

type Output = { text: string; json: Record<string, unknown> };

async function run(ctx: ServiceContext, command: string, options: Options): Promise<Output> {
  switch (command) {
    case 'user add': {
      // The operator vouches for the addresses of the accounts they make.
      const actor = await signUp(ctx, { email: need(options, 'email'), name: need(options, 'name'), password: need(options, 'password') }, { vouched: true });
      return { text: actor.id, json: { id: actor.id, email: actor.email, name: actor.name } };
    }
    case 'user signout': {
      const user = await requireUserByEmail(ctx, need(options, 'email'));
      await signOutEverywhere(ctx, toActor(user));
      return { text: `signed out ${user.email} everywhere`, json: { email: user.email, signedOut: true } };
    }
    case 'map create': {
      const owner = await asActor(ctx, need(options, 'owner'));
      const map = await createMap(ctx, owner, { title: need(options, 'title'), template: options.template ?? 'blank' });
      return { text: map.id, json: { id: map.id, title: map.title, owner: owner.email } };
    }
    case 'map list': {
      const email = options.email;
      let maps: Array<{ id: string; title: string; role?: string; updatedAt: number }>;
      if (typeof email === 'string') maps = await listMaps(ctx, await asActor(ctx, email));
      else maps = await ctx.store.listMaps();
      const text = maps.map((m) => [m.id, m.role ?? '', new Date(m.updatedAt).toISOString(), m.title].filter(Boolean).join('\t')).join('\n');
      return { text: text || '(no maps)', json: { maps } };
    }
    case 'member add': {
      const mapId = need(options, 'map');
      const owner = await ownerOf(ctx, mapId);
      const result = await addMember(ctx, owner, mapId, { email: need(options, 'email'), role: need(options, 'role') });
      // An invitation's link is for the operator to pass on: the CLI mails nothing.
      const text = result.status === 'invited' ? `invited ${result.email} as ${result.role}: ${result.link}` : `added ${result.email} as ${result.role}`;
      return { text, json: { ...result, map: mapId } };
    }
    case 'member remove': {
      const mapId = need(options, 'map');
      const owner = await ownerOf(ctx, mapId);
      const result = await removeMember(ctx, owner, mapId, { email: need(options, 'email') });
      return { text: `removed ${result.email}`, json: { ...result, map: mapId } };
    }
    case 'token': {
      const result = await issueCollabToken(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'));
      return { text: result.token, json: result };
    }
    case 'pat create': {
      const result = await createPersonalToken(ctx, await asActor(ctx, need(options, 'email')), {
        name: typeof options.name === 'string' ? options.name : undefined,
        scope: tokenScopeOption(options),
        expiresInDays: tokenExpiryOption(options),
      });
      return { text: `${result.id}\t${result.token}`, json: { ...result } };
    }
    case 'pat revoke': {
      const id = need(options, 'id');
      await revokePersonalToken(ctx, null, id);
      return { text: `revoked ${id}`, json: { id, revoked: true } };
    }
    case 'map master': {
      const result = await setMaster(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'), { master: !options.off });
      return { text: `${result.id} is ${result.master ? 'a master' : 'no longer a master'}`, json: result };
    }
    case 'workshop start': {
      const copy = await startWorkshop(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'), typeof options.title === 'string' ? { title: options.title } : {});
      return { text: copy.id, json: { id: copy.id, title: copy.title } };
    }
    case 'diff': {
      const diff = await diffWorkshop(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'));
      const text = diff.changes.map((c) => `${c.side}\t${c.conflict ? 'CONFLICT ' : ''}${c.summary}\t${c.id}`).join('\n');
      return { text: text || '(no changes)', json: { changes: diff.changes } };
    }
    case 'merge': {
      if (!options.all) throw new UsageError('merge takes --all (choose single changes in the review page or with POST /api/maps/:id/merge)');
      const actor = await asActor(ctx, need(options, 'email'));
      const mapId = need(options, 'map');
      const diff = await diffWorkshop(ctx, actor, mapId);
      const ids = diff.changes.filter((c) => c.side === 'copy').map((c) => c.id);
      const result = await mergeWorkshop(ctx, actor, mapId, { changes: ids, resolutions: {} });
      const skipped = diff.changes.filter((c) => c.conflict).length;
      return { text: `merged ${result.applied} changes into ${result.masterId}${skipped ? `; ${skipped} conflicts left out` : ''}`, json: { ...result, conflictsLeftOut: skipped } };
    }
    case 'version save': {
      const version = await saveVersion(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'), { name: need(options, 'name') });
      return { text: version.id, json: { ...version } };
    }
    case 'version list': {
      const versions = await listVersions(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'));
      const text = versions.map((v) => `${v.id}\t${new Date(v.createdAt).toISOString()}\t${v.kind}\t${v.name}`).join('\n');
      return { text: text || '(no versions)', json: { versions } };
    }
    case 'version restore': {
      const result = await restoreVersion(ctx, await asActor(ctx, need(options, 'email')), need(options, 'map'), need(options, 'id'));
      const text = result.backup
        ? `restored "${result.restored.name}" (${result.changes} changes); the state before is version ${result.backup.id}`
        : `repaired the damaged map from "${result.restored.name}" (${result.repaired.join(', ')}); what could not be read is kept in the set-aside table`;
      return { text, json: { ...result } };
    }
    case 'metrics push': {
      const mapId = need(options, 'map');
      const actor = typeof options.email === 'string' ? await asActor(ctx, options.email) : await ownerOf(ctx, mapId);
      const file = need(options, 'file');
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new ServiceError('bad_request', `Cannot read ${file}: ${(error as Error).message}`);
      }
      let rows: CsvRow[];
      try {
        rows = parseMetricsCsv(text);
      } catch (error) {
        if (error instanceof MetricsCsvError) throw new ServiceError('bad_request', `${file}, ${error.message}`);
        throw error;
      }
      try {
        const result = await pushMetrics(ctx, actor, mapId, { period: need(options, 'period'), rows: rows.map((r) => r.row) });
        return { text: `stored ${result.stored} rows for ${result.period}`, json: { ...result, map: mapId } };
      } catch (error) {
        if (error instanceof ServiceError && Array.isArray(error.details)) {
          // Row indexes of the API become the file's lines; nothing was stored.
          const problems = (error.details as RowProblem[]).map((p) => ('row' in p ? `${file}, line ${rows[p.row]?.line ?? '?'}: ${p.message}` : `--period: ${p.message}`));
          throw new ServiceError('bad_request', `Nothing was stored:\n${problems.join('\n')}`);
        }
        throw error;
      }
    }
    case 'metrics list': {
      const mapId = need(options, 'map');
      const actor = typeof options.email === 'string' ? await asActor(ctx, options.email) : await ownerOf(ctx, mapId);
      const range = { from: typeof options.from === 'string' ? options.from : null, to: typeof options.to === 'string' ? options.to : null };
      const { rows } = await listMetrics(ctx, actor, mapId, range);
      const cell = (value: number | undefined) => (value === undefined ? '' : String(value));
      const text = rows
        .map((r) => [r.period, r.externalKey ?? '', r.touchpointId, cell(r.contacts), cell(r.csat?.responses), cell(r.csat?.satisfied), cell(r.ces?.responses), cell(r.ces?.mean), cell(r.nps?.promoters), cell(r.nps?.passives), cell(r.nps?.detractors)].join('\t'))
        .join('\n');
      return { text: text || '(no figures)', json: { rows } };
    }
    case 'export': {
      const mapId = need(options, 'map');
      const out = need(options, 'out');
      const actor = typeof options.email === 'string' ? await asActor(ctx, options.email) : await ownerOf(ctx, mapId);
      const file = await exportMap(ctx, actor, mapId, { format: need(options, 'format'), comments: options['no-comments'] ? '0' : null });
      try {
        fs.writeFileSync(out, file.body);
      } catch (error) {
        throw new ServiceError('bad_request', `Cannot write ${out}: ${(error as Error).message}`);
      }
      const bytes = typeof file.body === 'string' ? Buffer.byteLength(file.body) : file.body.byteLength;
      return { text: `wrote ${out} (${bytes} bytes)`, json: { map: mapId, out, bytes, contentType: file.contentType } };
    }
    case 'import': {
      const path = need(options, 'file');
      const owner = await asActor(ctx, need(options, 'owner'));
      let bytes: Buffer;
      try {
        const size = fs.statSync(path).size;
        if (size > MAX_IMPORT_BODY_BYTES) throw new ServiceError('bad_request', `${path} is ${(size / (1024 * 1024)).toFixed(1)} MiB; an import takes at most ${MAX_IMPORT_BODY_BYTES / (1024 * 1024)} MiB`);
        bytes = fs.readFileSync(path);
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        throw new ServiceError('bad_request', `Cannot read ${path}: ${(error as Error).message}`);
      }
      const query = { format: need(options, 'format'), title: typeof options.title === 'string' ? options.title : null, mapping: typeof options.mapping === 'string' ? options.mapping : null };
      try {
        const map = await importMap(ctx, owner, query, bytes);
        return { text: map.id, json: { id: map.id, title: map.title, owner: owner.email } };
      } catch (error) {
        if (error instanceof ServiceError && Array.isArray(error.details) && error.details.length > 0) {
          const where = (p: { row?: number | null; path?: string }) => (typeof p.row === 'number' ? `, row ${p.row}` : p.path ? `, ${p.path}` : '');
          const lines = (error.details as Array<{ row?: number | null; path?: string; message: string }>).map((p) => `${path}${where(p)}: ${p.message}`);
          throw new ServiceError('bad_request', `${error.message}\n${lines.join('\n')}`);
        }
        throw error;
      }
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  }
}

/** Operators act for the map's owner, so that the audit log names a person. */
async function ownerOf(ctx: ServiceContext, mapId: string): Promise<Actor> {
  const owner = (await ctx.accounts.listMembers(mapId)).find((m) => m.role === 'owner');
  if (!owner) throw new ServiceError('not_found', `No map with the id ${mapId}`);
  return { id: owner.userId, email: owner.email, name: owner.name };
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  email: { type: 'string' },
  name: { type: 'string' },
  password: { type: 'string' },
  title: { type: 'string' },
  owner: { type: 'string' },
  template: { type: 'string' },
  map: { type: 'string' },
  period: { type: 'string' },
  file: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  role: { type: 'string' },
  id: { type: 'string' },
  all: { type: 'boolean' },
  off: { type: 'boolean' },
  scope: { type: 'string' },
  'expires-days': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  mapping: { type: 'string' },
  'no-comments': { type: 'boolean' },
} as const;

/**
 * Joins `--map -x…` into `--map=-x…`: map ids made before ids stopped starting
 * with '-' (and any text) may start with one, and parseArgs refuses such a
 * value as ambiguous. A following token that is one of our own options stays
 * an option, so `--map --json` is still "--map is required".
 */
function joinDashValues(argv: readonly string[]): string[] {
  const isOption = (token: string): boolean => {
    if (token === '-h') return true;
    if (!token.startsWith('--')) return false;
    const name = token.slice(2).split('=')[0] ?? '';
    return Object.hasOwn(OPTIONS, name);
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const next = argv[i + 1];
    const name = token.startsWith('--') ? token.slice(2) : '';
    const takesValue = Object.hasOwn(OPTIONS, name) && OPTIONS[name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && next !== undefined && next.startsWith('-') && !isOption(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: joinDashValues(argv), allowPositionals: true, options: OPTIONS });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : EXIT.usage;
  }
  const single = ['token', 'diff', 'merge', 'export', 'import'];
  const command = single.includes(positionals[0] ?? '') ? (positionals[0] ?? '') : positionals.slice(0, 2).join(' ');
  const config = loadConfig(process.env, []);
  let stores;
  try {
    stores = await openStores(config.database, config.dataDir);
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT.failure;
  }
  const live = new CliLive();
  const ctx: ServiceContext = {
    store: stores.store,
    accounts: stores.accounts,
    history: stores.history,
    measurements: stores.measurements,
    secret: resolveAuthSecret(process.env, config.dataDir).secret,
    collab: null,
    live,
    // The CLI signs nobody in; its limits are never consulted across processes.
    rateLimits: memoryRateLimits(),
    renderPdfReport: loadPdfRenderer,
  };
  try {
    const output = await run(ctx, command, values);
    process.stdout.write(`${values.json ? JSON.stringify(output.json) : output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}.\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof ServiceError) {
      process.stderr.write(`${error.message}.\n`);
      if (values.json) process.stdout.write(`${JSON.stringify({ error: error.message, kind: error.kind })}\n`);
      return error.kind === 'bad_request' ? EXIT.usage : EXIT.failure;
    }
    throw error;
  } finally {
    // Also after a command that failed part way: what it told `live` about is stored.
    const warning = await live.tellRunningProcesses(config.redisUrl, config.redisPrefix);
    if (warning) process.stderr.write(`${warning}\n`);
    await stores.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.failure);
  },
);
