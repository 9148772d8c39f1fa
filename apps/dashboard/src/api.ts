import type { User } from './types';

const TOKEN_KEY = 'netdesk.token';
const USER_KEY = 'netdesk.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The API's `message` as a list (Nest's 400 names one field per entry); forms map them to fields. */
    readonly messages: string[] = [message],
    /** The parsed error body, for extra fields such as the import's `errors: [{line, field, message}]`. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();

/** The signed-in session, kept in sessionStorage: it lasts as long as the tab, not beyond it. */
export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  user(): User | null {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  },
  set(token: string, user: User): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    authListeners.forEach((l) => l());
  },
  setUser(user: User): void {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    authListeners.forEach((l) => l());
  },
  clear(reason?: string): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    if (reason) sessionStorage.setItem('netdesk.signout-reason', reason);
    authListeners.forEach((l) => l());
  },
  takeSignOutReason(): string | null {
    const r = sessionStorage.getItem('netdesk.signout-reason');
    sessionStorage.removeItem('netdesk.signout-reason');
    return r;
  },
  subscribe(l: AuthListener): () => void {
    authListeners.add(l);
    return () => authListeners.delete(l);
  },
};

function messagesOf(body: unknown, fallback: string): string[] {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.map(String);
    if (typeof m === 'string') return [m];
  }
  return [fallback];
}

/** JSON over fetch with the bearer token; a 401 signs the tab out. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
}

/** Sends a raw body (e.g. a YAML or CSV file) with its own content type; errors as for `api`. */
export async function send<T>(method: string, path: string, body?: string, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined && contentType) headers['Content-Type'] = contentType;
  const res = await fetch(path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && token && !path.startsWith('/api/auth/login')) {
      session.clear('Your session has expired. Please sign in again.');
    }
    const messages = messagesOf(parsed, `${res.status} ${res.statusText}`);
    throw new ApiError(res.status, messages.join('; '), messages, parsed);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

export async function signIn(email: string, password: string): Promise<User> {
  const res = await post<{ accessToken: string; user: User }>('/api/auth/login', { email, password });
  session.set(res.accessToken, res.user);
  // the login answer names id/email/role; /me adds the team the queue needs
  try {
    session.setUser(await get<User>('/api/auth/me'));
  } catch {
    /* keep the login's user */
  }
  return session.user()!;
}

export function signOut(): void {
  session.clear();
}

export function roleAtLeast(user: User | null, role: User['role']): boolean {
  const order: User['role'][] = ['viewer', 'agent', 'manager', 'admin'];
  return !!user && order.indexOf(user.role) >= order.indexOf(role);
}
