/**
 * A real OpenID Connect provider (oidc-provider, the certified Node
 * implementation) in the test process, on http://127.0.0.1:<free port>, with
 * its built-in sign-in and consent pages (devInteractions: any login and any
 * password; the login names the account). Each account's email and
 * `email_verified` are set by the test.
 *
 * The issuer must be known before the app starts (OIDC_ISSUER), and the
 * client's redirect URI only after (the app picks its port): `listen()` first,
 * then `register(appUrl)`, before anyone signs in.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  email: string;
  emailVerified: boolean;
  name: string;
}

export const IDP_CLIENT_ID = 'journeyhub-e2e';
export const IDP_CLIENT_SECRET = 'journeyhub-e2e-client-secret-0123456789';

export class TestIdp {
  readonly accounts = new Map<string, IdpAccount>();
  private provider: Provider | null = null;

  private constructor(
    private readonly server: http.Server,
    readonly issuer: string,
  ) {}

  static async listen(): Promise<TestIdp> {
    let idp: TestIdp | null = null;
    const server = http.createServer((req, res) => {
      const provider = idp?.provider;
      if (!provider) {
        res.writeHead(503).end('the test IdP has no client yet');
        return;
      }
      void provider.callback()(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    idp = new TestIdp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return idp;
  }

  /** The app's environment for single sign-on with this provider. */
  env(name = 'Acme SSO'): Record<string, string> {
    return { OIDC_ISSUER: this.issuer, OIDC_CLIENT_ID: IDP_CLIENT_ID, OIDC_CLIENT_SECRET: IDP_CLIENT_SECRET, OIDC_NAME: name };
  }

  /** Registers the app at `appUrl` as a confidential client (code flow, client_secret_basic). */
  register(appUrl: string): void {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e', alg: 'RS256', use: 'sig' };
    this.provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: IDP_CLIENT_ID,
          client_secret: IDP_CLIENT_SECRET,
          redirect_uris: [new URL('/api/auth/callback/oidc', appUrl).toString()],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      // The default, as most providers do for the code flow: the ID token carries `sub`, the
      // email claims come from the userinfo endpoint. The app must ask there.
      conformIdTokenClaims: true,
      features: { devInteractions: { enabled: true } },
      findAccount: (_ctx, sub) => {
        const account = this.accounts.get(sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          claims: () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }),
        };
      },
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
