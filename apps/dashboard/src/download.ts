import { ApiError, session } from './api';

/**
 * Downloads an API answer as a file: a plain link cannot carry the bearer token, so fetch it,
 * wrap it in a Blob and click a temporary object-URL link.
 */
export async function downloadWithToken(path: string, fallbackName: string): Promise<void> {
  const token = session.token();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    if (res.status === 401 && token) session.clear('Your session has expired. Please sign in again.');
    throw new ApiError(res.status, `${res.status} ${res.statusText}`);
  }
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
