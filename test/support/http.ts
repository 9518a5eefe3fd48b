export interface HttpResponse<Body = unknown> {
  status: number;
  body: Body;
  headers: Headers;
}

/** A small JSON client for the gateway: what a user of the HTTP API sees, status and body. */
export class Http {
  constructor(private readonly baseUrl: string) {}

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
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
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
