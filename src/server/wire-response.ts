// What a handler returns: status, exact Content-Type and body. Handlers never touch the HTTP request or reply;
// the route glue turns requests into typed calls and these values back into HTTP.
export interface WireResponse {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export const wire = (status: number, contentType: string, body: string | Buffer, headers?: Record<string, string>): WireResponse => ({ status, contentType, body, headers });
