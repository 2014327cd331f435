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

/** Reads a cookie value (the antiforgery request token is readable by script by design; the session is not). */
export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

const antiforgery: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const token = readCookie('XSRF-TOKEN');
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    request.headers.set('Accept', 'application/json');
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: base, credentials: 'same-origin' });
api.use(antiforgery);

/** Turns an openapi-fetch result into data or a thrown ApiError (for TanStack Query). */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) {
    const problem: Problem = typeof error === 'object' && error !== null ? (error as Problem) : {};
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return data as T;
}
