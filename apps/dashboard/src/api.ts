import type { User } from './types';

const TOKEN_KEY = 'netdesk.token';
const USER_KEY = 'netdesk.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
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

function messageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return fallback;
}

/** JSON over fetch with the bearer token; a 401 signs the tab out. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && token && !path.startsWith('/api/auth/login')) {
      session.clear('Your session has expired. Please sign in again.');
    }
    throw new ApiError(res.status, messageOf(parsed, `${res.status} ${res.statusText}`));
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

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
