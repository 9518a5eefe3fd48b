export interface HttpResponse<Body = unknown> {
  status: number;
  body: Body;
  headers: Headers;
}

/** Where a client gets its bearer token; none: an anonymous caller. */
export type Credentials = () => Promise<string>;

/** A small JSON client for the gateway: what a user of the HTTP API sees, status and body. */
export class Http {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials?: Credentials,
  ) {}

  /** The same caller at another gateway instance. */
  at(baseUrl: string): Http {
    return new Http(baseUrl, this.credentials);
  }

  /** Another caller at the same gateway. */
  as(credentials: Credentials | undefined): Http {
    return new Http(this.baseUrl, credentials);
  }

  get<Body = unknown>(path: string, headers: Record<string, string> = {}): Promise<HttpResponse<Body>> {
    return this.request<Body>('GET', path, undefined, headers);
  }

  post<Body = unknown>(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<Body>> {
    return this.request<Body>('POST', path, body, headers);
  }

  async request<Body>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpResponse<Body>> {
    const token = await this.credentials?.();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(40_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as Body, headers: response.headers };
  }
}
