import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { base } from '../runtime';

/** An RFC 9457 problem from the API (Swedish title/detail, a stable code, a correlation id). */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  correlationId?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * The antiforgery request token of the BFF session. The cookies are HttpOnly, so the token comes from
 * GET /api/auth/session (and the sign-in steps) and is kept in memory only.
 */
let antiforgeryToken: string | null = null;
export function setAntiforgeryToken(token: string | null | undefined): void {
  antiforgeryToken = token ?? null;
}

export const isUnsafe = (method: string) => !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());

async function ensureToken(): Promise<string | null> {
  if (antiforgeryToken) return antiforgeryToken;
  try {
    const r = await fetch(`${base}/api/auth/session`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.ok) setAntiforgeryToken(((await r.json()) as { antiforgeryToken?: string }).antiforgeryToken);
  } catch {
    /* the request itself will then fail with a clear problem */
  }
  return antiforgeryToken;
}

const antiforgery: Middleware = {
  async onRequest({ request }) {
    if (isUnsafe(request.method)) {
      const token = await ensureToken();
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    if (!request.headers.has('Accept')) request.headers.set('Accept', 'application/json');
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: base, credentials: 'same-origin' });
api.use(antiforgery);

/** Headers for a request made without the typed client (file uploads, downloads). */
export async function unsafeHeaders(): Promise<Record<string, string>> {
  const token = await ensureToken();
  return token ? { 'X-XSRF-TOKEN': token, Accept: 'application/json' } : { Accept: 'application/json' };
}

/** Turns an openapi-fetch result into data or a thrown ApiError (for TanStack Query). */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) {
    const problem: Problem = typeof error === 'object' && error !== null ? (error as Problem) : {};
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return data as T;
}

/** Builds "?a=1&b=x&b=y" from a record (arrays repeat the key; empty values are left out). */
export function queryString(query: Record<string, string | number | boolean | string[] | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v == null || v === '') continue;
    if (Array.isArray(v)) v.filter((x) => x !== '').forEach((x) => p.append(k, x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * A request the typed client cannot describe (query parameters read by the handler itself, multipart
 * uploads): same base, same antiforgery header, same problem handling.
 */
export async function request<T>(method: string, path: string, options: { query?: Parameters<typeof queryString>[0]; json?: unknown; form?: FormData } = {}): Promise<T> {
  const headers: Record<string, string> = isUnsafe(method) ? await unsafeHeaders() : { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${base}${path}${options.query ? queryString(options.query) : ''}`, { method, headers, body, credentials: 'same-origin' });
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, { status: response.status, ...(typeof data === 'object' && data !== null ? (data as Problem) : {}) });
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
