import type { ComponentChildren } from 'preact';

/** An error (a list that failed to load, a form refused) as an alert, if there is one. */
export function ErrorAlert({ error }: { error: string | null | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

/** A page before its record arrives: the error it failed with and a way back, or a loading note. */
export function PageLoadState(props: { error: string | undefined; loading: string; back: ComponentChildren }) {
  return props.error ? (
    <main>
      <ErrorAlert error={props.error} />
      {props.back}
    </main>
  ) : (
    <main>
      <p class="muted" role="status">
        {props.loading}
      </p>
    </main>
  );
}
