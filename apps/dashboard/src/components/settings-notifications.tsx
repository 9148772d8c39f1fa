import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { useAsync } from '../hooks';
import type { EscalationPolicy } from './settings-escalation';
import { Form, SelectField, TextField, useForm } from './forms';

interface Channels {
  email: { configured: boolean; server: string | null; from: string };
  webhook: { configured: boolean };
}

interface TestResult {
  target: string;
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
  durationMs: number;
}

const hostOf = (target: string) => target.replace(/^(webhook|slack):(https?:\/\/[^/]+).*/i, '$1:$2');

export function NotificationSettings() {
  const channels = useAsync(() => get<Channels>('/api/notifications/channels'), []);
  const policies = useAsync(() => get<EscalationPolicy[]>('/api/escalation-policies'), []);
  const [result, setResult] = useState<TestResult | null>(null);
  const form = useForm<{ channel: string; target: string }>({ channel: 'email', target: '' });

  // where notifications go today: the targets named in escalation steps (webhooks by host only)
  const used = new Map<string, string[]>();
  for (const p of policies.data ?? [])
    for (const s of p.steps)
      for (const t of s.notify ?? []) {
        const key = hostOf(t);
        used.set(
          key,
          [...(used.get(key) ?? []), p.name].filter((n, i, a) => a.indexOf(n) === i),
        );
      }

  const send = async (v: { channel: string; target: string }) => {
    setResult(null);
    setResult(await post<TestResult>('/api/notifications/test', { target: `${v.channel}:${v.target.trim()}` }));
  };

  const c = channels.data;
  return (
    <>
      <h2>Notification channels</h2>
      <p class="muted">
        Email goes out through the SMTP server set at start-up (<code>NETDESK_SMTP_URL</code>,{' '}
        <code>NETDESK_SMTP_FROM</code>); webhooks and Slack are named per step in an escalation policy.
      </p>
      {channels.error && (
        <p class="error" role="alert">
          {channels.error}
        </p>
      )}
      {c && (
        <dl class="channel-facts" aria-label="Channel state">
          <dt>Email</dt>
          <dd data-channel="email">
            {c.email.configured ? (
              <span class="state-on">on</span>
            ) : (
              <span class="state-off">off: NETDESK_SMTP_URL is not set</span>
            )}
          </dd>
          {c.email.configured && (
            <>
              <dt>SMTP server</dt>
              <dd>{c.email.server}</dd>
            </>
          )}
          <dt>Sender</dt>
          <dd>{c.email.from}</dd>
          <dt>Webhooks, Slack</dt>
          <dd>
            <span class="state-on">on</span> (named in escalation steps)
          </dd>
        </dl>
      )}
      <h3>Targets in escalation policies</h3>
      {used.size === 0 ? (
        <p class="muted">
          No policy step notifies anyone yet. <a href="/settings/escalation">Edit escalation policies</a>
        </p>
      ) : (
        <table class="settings-table" aria-label="Notification targets in use">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            {[...used].map(([t, names]) => (
              <tr key={t}>
                <td data-label="Target">{t}</td>
                <td data-label="Used by">{names.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Send a test</h3>
      <Form
        form={form}
        onSubmit={send}
        submitLabel="Send a test"
        busyLabel="Sending…"
        unmatched="target"
        aria-label="Send a test"
      >
        <div class="row">
          <SelectField
            form={form}
            name="channel"
            label="Channel"
            options={[
              { value: 'email', label: 'Email' },
              { value: 'webhook', label: 'Webhook (JSON POST)' },
              { value: 'slack', label: 'Slack incoming webhook' },
            ]}
          />
          <TextField
            form={form}
            name="target"
            label={form.values.channel === 'email' ? 'Email address' : 'Webhook URL'}
            type={form.values.channel === 'email' ? 'email' : 'url'}
            required
            placeholder={form.values.channel === 'email' ? 'noc@example.com' : 'https://…'}
          />
        </div>
      </Form>
      <div role="status" aria-live="polite">
        {result && (
          <div class={`result ${result.ok ? 'ok' : 'failed'}`} data-result={result.ok ? 'ok' : 'failed'}>
            {result.ok ? (
              <>
                <strong>Delivered</strong> to {result.target} in {result.durationMs} ms.
              </>
            ) : (
              <>
                <strong>Not delivered</strong> to {result.target}: {result.error}
              </>
            )}
          </div>
        )}
      </div>
    </>
  );
}
