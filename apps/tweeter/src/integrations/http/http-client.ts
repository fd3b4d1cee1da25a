/** What integrations call to reach the outside: the guarded client in production, the same in tests. */
export interface HttpClient {
  request(url: string | URL, init?: HttpRequestInit): Promise<HttpResponse>;
}

export interface HttpRequestInit {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Follow redirects (each hop re-checked); only GET requests do, and only when asked. */
  followRedirects?: boolean;
  /** Overrides the client's default time limit for the whole exchange. */
  timeoutMs?: number;
}

/** A complete answer: the body has been read (within the size limit). */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  body: string;
}
