/**
 * The network cable between one person's browser and the server, for the
 * offline tests. Playwright's `context.setOffline(true)` makes the browser
 * report offline (navigator.onLine, the 'offline' event) and fails new
 * requests, but an open websocket lives on and keeps syncing (checked on
 * Chromium 156 / Playwright 1.65: the connection pill stayed 'connected').
 * So the collaboration sockets of this context are routed through Playwright
 * (routeWebSocket, passed straight to the server) and cut here: unplugging
 * closes them and refuses new ones until plugged back in.
 */
import type { BrowserContext, WebSocketRoute } from 'playwright-core';

/** "Going away": not a 44xx close, so the provider keeps trying to reconnect, as after a real outage. */
const CUT = { code: 1001, reason: 'network unplugged by the test' };

export class Cable {
  private plugged = true;
  /** Each open socket: the page's end and the server's end. */
  private readonly sockets = new Map<WebSocketRoute, WebSocketRoute>();
  /** Connection attempts refused while unplugged: proof the page tried and could not get through. */
  refused = 0;

  private constructor(private readonly context: BrowserContext) {}

  /** Must run before the page opens its sockets. */
  static async install(context: BrowserContext): Promise<Cable> {
    const cable = new Cable(context);
    await context.routeWebSocket(/\/collab\//, (ws) => cable.route(ws));
    return cable;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  private route(ws: WebSocketRoute): void {
    if (!this.plugged) {
      this.refused++;
      void ws.close(CUT);
      return;
    }
    const server = ws.connectToServer();
    this.sockets.set(ws, server);
    // With a handler, Playwright no longer forwards the page's close: pass it on.
    ws.onClose((code, reason) => {
      this.sockets.delete(ws);
      void server.close({ code, reason });
    });
  }

  async unplug(): Promise<void> {
    this.plugged = false;
    await this.context.setOffline(true);
    await Promise.all([...this.sockets].flatMap(([page, server]) => [page.close(CUT), server.close(CUT)]));
    this.sockets.clear();
  }

  async plugIn(): Promise<void> {
    this.plugged = true;
    await this.context.setOffline(false);
  }
}
