/**
 * /inventory/import: upload a YAML or CSV inventory file (POST /api/devices/import). The server checks
 * every row first: if any is bad, each bad row comes back with its line and reason and nothing is written.
 */
import { useRef, useState } from 'preact/hooks';
import exampleYaml from '../../../../config/inventory.example.yaml?raw';
import { ApiError, send } from '../api';
import { AdminOnly, InventoryShell } from './inventory-common';

interface ImportResult {
  sitesCreated: string[];
  devicesCreated: number;
  devicesUpdated: number;
}

interface Problem {
  line: number;
  field?: string;
  message: string;
}

/** The CSV template: the columns the importer reads, and the same devices as the YAML example. */
export const CSV_TEMPLATE = [
  'name,host,site,parent,kind,criticality,pollIntervalSec,tags,team,snmpVersion,snmpCommunity,snmpPort,snmpUsername,snmpAuthProtocol,snmpAuthKey,snmpPrivProtocol,snmpPrivKey',
  'hq-wan-router,192.0.2.1,HQ,,router,critical,15,wan;core,network,2c,change-me,161,,,,,',
  'hq-core-switch,192.0.2.2,HQ,hq-wan-router,switch,high,30,,,3,,161,netdesk,sha256,change-me-auth-key,aes,change-me-priv-key',
  'hq-ap-lobby,ap-lobby.hq.example.net,HQ,hq-core-switch,access-point,low,,,,,,,,,,,',
  'north-wan-link,198.51.100.1,Branch-North,hq-wan-router,wan-link,high,,,network,,,,,,,,',
  '',
].join('\n');

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The importer's content type for a file, from its name (CSV by extension, YAML otherwise). */
export function contentTypeFor(fileName: string): string {
  return /\.csv$/i.test(fileName) ? 'text/csv' : 'application/yaml';
}

/** "line 4: host …" messages as problems, for an answer without the structured `errors` list. */
function problemsOf(e: ApiError): Problem[] {
  const body = e.body as { errors?: Problem[] } | undefined;
  if (Array.isArray(body?.errors)) return body.errors;
  return e.messages.map((m) => {
    const match = /^line (\d+): (.*)$/s.exec(m);
    return match ? { line: Number(match[1]), message: match[2] } : { line: 0, message: m };
  });
}

export function ImportPage(props: { admin: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const problemsRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    setProblems(null);
    setFileError(null);
    if (!file) {
      setFileError('Choose a YAML or CSV file first.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const text = await file.text();
      setResult(await send<ImportResult>('POST', '/api/devices/import', text, contentTypeFor(file.name)));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        setProblems(problemsOf(err));
        setTimeout(() => problemsRef.current?.focus(), 0);
      } else {
        setFileError(err instanceof Error ? err.message : String(err));
        inputRef.current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <InventoryShell path="/inventory/import" title="Import devices from a file">
      <p>
        One file adds or updates many devices: devices are matched by name, sites named in the file are created. Every
        row is checked first; if any row is bad, nothing is imported and each bad row is listed below.
      </p>
      <div class="inv-toolbar">
        <button type="button" onClick={() => download('netdesk-inventory.yaml', exampleYaml, 'application/yaml')}>
          Download YAML template
        </button>
        <button type="button" onClick={() => download('netdesk-inventory.csv', CSV_TEMPLATE, 'text/csv')}>
          Download CSV template
        </button>
      </div>
      {!props.admin ? (
        <AdminOnly />
      ) : (
        <form class="nd-form" onSubmit={submit} noValidate aria-label="Import a file">
          <div class={`field ${fileError ? 'invalid' : ''}`}>
            <label for="import-file">Inventory file (YAML or CSV)</label>
            <input
              id="import-file"
              ref={inputRef}
              type="file"
              accept=".yaml,.yml,.csv,application/yaml,text/yaml,text/csv"
              aria-invalid={fileError ? 'true' : undefined}
              aria-describedby={fileError ? 'import-file-err' : 'import-file-hint'}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setFileError(null);
                setProblems(null);
                setResult(null);
              }}
            />
            <span class="hint" id="import-file-hint">
              .yaml/.yml or .csv; see the templates for the fields
            </span>
            {fileError && (
              <span class="field-error" id="import-file-err">
                {fileError}
              </span>
            )}
          </div>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Importing…' : 'Import file'}
            </button>
          </div>
        </form>
      )}
      {result && (
        <div class="inv-flash" role="status">
          Imported {file?.name}: {result.devicesCreated} device{result.devicesCreated === 1 ? '' : 's'} added,{' '}
          {result.devicesUpdated} updated
          {result.sitesCreated.length > 0 && `, sites created: ${result.sitesCreated.join(', ')}`}.{' '}
          <a href="/inventory/devices">See the devices</a> or <a href="/">watch the board</a>.
        </div>
      )}
      {problems && (
        <section class="import-problems" aria-labelledby="import-problems-title">
          <h2 id="import-problems-title" ref={problemsRef} tabIndex={-1} class="error-title">
            Nothing was imported: {problems.length} problem{problems.length === 1 ? '' : 's'} in {file?.name}
          </h2>
          <table class="inv-table" aria-label="Problems">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Field</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i} data-line={p.line}>
                  <td data-label="Line">{p.line || '—'}</td>
                  <td data-label="Field">{p.field ?? '—'}</td>
                  <td data-label="Reason">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </InventoryShell>
  );
}
