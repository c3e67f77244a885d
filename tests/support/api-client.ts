/**
 * An HTTP client of the JourneyHub API as a script or a browser uses it: a
 * personal access token (`Authorization: Bearer …`) or a cookie jar holding
 * the next-auth session, signed in through next-auth's own endpoints
 * (GET /api/auth/csrf, POST /api/auth/callback/credentials).
 */

export interface Answer<T> {
  status: number;
  body: T;
  /** The raw body, for "never data" checks. */
  text: string;
  headers: Headers;
}

/** The error answer of every route: a sentence, sometimes the zod issues. */
export interface ErrorBody {
  error: string;
  details?: Array<{ path: string; message: string }>;
}

/** A body sent as is: malformed JSON, or a file (with its own content type; none at all when null). */
export class RawBody {
  constructor(
    readonly text: string | Uint8Array,
    readonly contentType: string | null = 'application/json',
    readonly extraHeaders: Record<string, string> = {},
  ) {}
}

export interface SignInResult {
  ok: boolean;
  status: number;
  /** The `error` next-auth passes to the sign-in form (its URL's `error` parameter), or null. */
  error: string | null;
  body: unknown;
}

export const SESSION_COOKIE = 'next-auth.session-token';

export class ApiClient {
  private readonly cookies = new Map<string, string>();

  private constructor(
    readonly baseUrl: string,
    private readonly bearer: string | null,
  ) {}

  /** No credentials; `signIn` gives it a session cookie. */
  static anonymous(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, null);
  }

  static withToken(baseUrl: string, token: string): ApiClient {
    return new ApiClient(baseUrl, token);
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';', 1);
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An expired cookie (sign-out) is a deletion.
      if (value === '' || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return headers;
  }

  async request<T = ErrorBody>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const init: RequestInit = { method, redirect: 'manual' };
    if (body instanceof RawBody) {
      init.body = typeof body.text === 'string' ? body.text : Buffer.from(body.text);
      init.headers = this.headers({ ...(body.contentType === null ? {} : { 'content-type': body.contentType }), ...body.extraHeaders });
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = this.headers({ 'content-type': 'application/json' });
    } else {
      init.headers = this.headers();
    }
    const res = await fetch(new URL(path, this.baseUrl), init);
    this.remember(res.headers);
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  /** A GET answered as it came (a binary file: a PDF, an XLSX), with this client's credentials. */
  async raw(path: string): Promise<Response> {
    return fetch(new URL(path, this.baseUrl), { headers: this.headers(), redirect: 'manual' });
  }

  get<T = ErrorBody>(path: string): Promise<Answer<T>> {
    return this.request<T>('GET', path);
  }

  post<T = ErrorBody>(path: string, body?: unknown): Promise<Answer<T>> {
    return this.request<T>('POST', path, body);
  }

  put<T = ErrorBody>(path: string, body?: unknown): Promise<Answer<T>> {
    return this.request<T>('PUT', path, body);
  }

  patch<T = ErrorBody>(path: string, body?: unknown): Promise<Answer<T>> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = ErrorBody>(path: string, body?: unknown): Promise<Answer<T>> {
    return this.request<T>('DELETE', path, body);
  }

  /** Signs out as the app's button does: next-auth expires the session cookie. Returns the HTTP status. */
  async signOut(): Promise<number> {
    const csrf = await this.get<{ csrfToken: string }>('/api/auth/csrf');
    const res = await fetch(new URL('/api/auth/signout', this.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ csrfToken: csrf.body.csrfToken, json: 'true' }).toString(),
    });
    this.remember(res.headers);
    await res.body?.cancel();
    return res.status;
  }

  /** Signs in as the login form does: a CSRF token, then the credentials callback; a session cookie on success. */
  async signIn(email: string, password: string): Promise<SignInResult> {
    const csrf = await this.get<{ csrfToken: string }>('/api/auth/csrf');
    if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}: ${csrf.text}`);
    const form = new URLSearchParams({ csrfToken: csrf.body.csrfToken, email, password, json: 'true' });
    const res = await fetch(new URL('/api/auth/callback/credentials', this.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: form.toString(),
    });
    this.remember(res.headers);
    const body = (await res.json()) as { url?: string };
    const error = body.url ? new URL(body.url).searchParams.get('error') : null;
    return { ok: res.ok && error === null && this.sessionCookie !== undefined, status: res.status, error, body };
  }
}
