/**
 * Debian's nginx in front of the app's processes, as an operator runs it
 * (issue 14 §4): deploy/nginx/journeyhub.conf.template filled in with the
 * processes' ports and a free port of its own, wrapped in the smallest main
 * configuration (pid, logs and temp paths in a temp dir of its own), run in the
 * foreground as a child process and killed at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceProcess } from './child-process';
import { accepts, freePort } from './free-port';
import { REPO_ROOT } from './server';
import { waitFor } from './wait';

export const NGINX_TEMPLATE = path.join(REPO_ROOT, 'deploy/nginx/journeyhub.conf.template');

const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** Where nginx is, or null. */
export function findNginx(): string | null {
  for (const candidate of CANDIDATES) if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The site configuration for these upstream ports, from the repository's template. */
export function siteConfig(listenPort: number, upstreamPorts: readonly number[]): string {
  const servers = upstreamPorts.map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`).join('\n    ');
  const template = fs.readFileSync(NGINX_TEMPLATE, 'utf8');
  for (const line of [/^\s*\{\{UPSTREAM_SERVERS\}\}$/m, /^\s*listen \{\{LISTEN\}\};$/m]) {
    if (!line.test(template)) throw new Error(`${NGINX_TEMPLATE} has no line matching ${line}: the tests fill in its placeholders`);
  }
  // Only the placeholders on lines of their own; the template's comments name them too.
  return template
    .replace(/^(\s*)\{\{UPSTREAM_SERVERS\}\}$/m, (_, indent: string) => indent + servers)
    .replace(/^(\s*listen )\{\{LISTEN\}\};$/m, (_, start: string) => `${start}127.0.0.1:${listenPort};`);
}

function mainConfig(dir: string): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/journeyhub.conf;
}
`;
}

export class NginxProxy {
  private constructor(
    readonly process: ServiceProcess,
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(upstreamPorts: readonly number[]): Promise<NginxProxy> {
    const nginx = findNginx();
    if (!nginx) throw new Error("nginx is not installed: 'apt-get install nginx-light' (scripts/test-all.sh does it as root)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-nginx-'));
    // Run as root, nginx's workers are `nobody`: they must reach the temp paths.
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'journeyhub.conf'), siteConfig(port, upstreamPorts));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir));
    // -e: errors before the configuration is read go to our log too, not /var/log/nginx.
    const child = ServiceProcess.spawn('nginx', nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')]);
    const proxy = new NginxProxy(child, port, dir);
    try {
      await waitFor(
        async () => {
          if (!child.isRunning) throw new Error(`nginx exited at start:\n${child.output}\n${proxy.errorLog()}`);
          return accepts(port);
        },
        { timeout: 10_000, message: `nginx to listen on ${port}`, interval: 50 },
      );
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get collabUrl(): string {
    return `ws://127.0.0.1:${this.port}/collab`;
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8').slice(-3000);
    } catch {
      return '(no error log)';
    }
  }

  /** SIGTERM is nginx's fast shutdown: open websockets are cut at once. */
  async stop(): Promise<void> {
    await this.process.stop('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
