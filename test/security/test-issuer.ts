import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';

/**
 * An issuer the test controls: its OpenID discovery document and key set served on the loopback, its
 * private key in hand. A gateway pointed at it accepts its tokens, so that a token signed right but
 * expired, not yet valid, from another issuer or for another audience can be made and refused.
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export class TestIssuer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly privateKey: PrivateKey,
    private readonly kid: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const kid = 'test-issuer-key';
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
    const server = createServer((request, response) => {
      const body =
        request.url === '/.well-known/openid-configuration'
          ? { issuer: url, jwks_uri: `${url}/jwks` }
          : request.url === '/jwks'
            ? jwks
            : undefined;
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new TestIssuer(server, url, privateKey, kid);
  }

  /** A token signed with this issuer's key; `claims` override the valid defaults (an operator's, for `audience`). */
  sign(audience: string, claims: JWTPayload = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.url,
      aud: audience,
      sub: 'test-operator',
      roles: ['operator'],
      iat: now,
      exp: now + 300,
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'at+jwt' })
      .sign(this.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((stopped) => {
      this.server.close(() => stopped());
      this.server.closeAllConnections();
    });
  }
}
