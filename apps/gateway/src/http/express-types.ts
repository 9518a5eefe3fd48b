/**
 * The few members of Express's request and response the gateway uses (@types/express is not installed;
 * these match Express 5).
 */
export interface HttpRequest {
  method: string;
  originalUrl: string;
  /** The URL's path, without the query string. */
  path: string;
  header(name: string): string | undefined;
  requestId?: string;
}

export interface HttpResponse {
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: string): unknown;
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
}
