import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument, YAMLMap } from 'yaml';

export type InventoryFormat = 'yaml' | 'csv';

export interface ImportProblem {
  line: number;
  field?: string;
  message: string;
}

export interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

export interface ParsedInventory {
  sites: RawRow[];
  devices: RawRow[];
  problems: ImportProblem[];
}

const CSV_COLUMNS: Record<string, string> = {
  name: 'name',
  host: 'host',
  site: 'site',
  parent: 'parent',
  kind: 'kind',
  criticality: 'criticality',
  pollintervalsec: 'pollIntervalSec',
  tags: 'tags',
  team: 'team',
  snmpversion: 'snmp.version',
  snmpcommunity: 'snmp.community',
  snmpport: 'snmp.port',
  snmpusername: 'snmp.username',
  snmpauthprotocol: 'snmp.authProtocol',
  snmpauthkey: 'snmp.authKey',
  snmpprivprotocol: 'snmp.privProtocol',
  snmpprivkey: 'snmp.privKey',
};
const NUMERIC = new Set(['pollIntervalSec', 'snmp.port']);

/** Parses an inventory file into raw rows with their line numbers; structural problems are reported, not thrown. */
export function parseInventoryFile(content: string, format: InventoryFormat): ParsedInventory {
  return format === 'yaml' ? parseYaml(content) : parseCsvInventory(content);
}

function parseYaml(content: string): ParsedInventory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const result: ParsedInventory = { sites: [], devices: [], problems: [] };
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  for (const error of doc.errors)
    result.problems.push({ line: lineOf(error.pos[0]), message: `YAML: ${error.message.split('\n')[0]}` });
  if (result.problems.length) return result;
  if (!isMap(doc.contents)) {
    result.problems.push({ line: 1, message: 'the file must be a mapping with "sites" and/or "devices" lists' });
    return result;
  }
  for (const pair of (doc.contents as YAMLMap).items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyLine = lineOf((pair.key as { range?: [number] })?.range?.[0]);
    if (key !== 'sites' && key !== 'devices') {
      result.problems.push({
        line: keyLine,
        field: key,
        message: `unknown section "${key}" (expected "sites" or "devices")`,
      });
      continue;
    }
    if (pair.value === null || pair.value === undefined) continue;
    if (!isSeq(pair.value)) {
      result.problems.push({ line: keyLine, field: key, message: `"${key}" must be a list` });
      continue;
    }
    for (const item of pair.value.items) {
      const line = lineOf((item as { range?: [number] })?.range?.[0]);
      if (!isMap(item)) {
        result.problems.push({ line, message: `each entry of "${key}" must be a mapping` });
        continue;
      }
      result[key].push({ line, values: item.toJSON() as Record<string, unknown> });
    }
  }
  return result;
}

function parseCsvInventory(content: string): ParsedInventory {
  const result: ParsedInventory = { sites: [], devices: [], problems: [] };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(content, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
      comment: '#',
    }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    result.problems.push({ line: err.lines ?? 1, message: `CSV: ${err.message}` });
    return result;
  }
  if (!records.length) return result;
  const [header, ...rows] = records;
  const columns = header.record.map((h) => CSV_COLUMNS[h.toLowerCase().replace(/[\s_-]/g, '')]);
  header.record.forEach((h, i) => {
    if (!columns[i]) result.problems.push({ line: header.info.lines, field: h, message: `unknown column "${h}"` });
  });
  if (result.problems.length) return result;
  for (const { record, info } of rows) {
    const values: Record<string, unknown> = {};
    record.forEach((cell, i) => {
      if (cell === '') return;
      const path = columns[i];
      const value =
        NUMERIC.has(path) && /^-?\d+$/.test(cell)
          ? Number(cell)
          : path === 'tags'
            ? cell
                .split(/[;|]/)
                .map((t) => t.trim())
                .filter(Boolean)
            : cell;
      if (path.startsWith('snmp.')) {
        values.snmp = { ...(values.snmp as object), [path.slice(5)]: value };
      } else values[path] = value;
    });
    result.devices.push({ line: info.lines, values });
  }
  return result;
}
