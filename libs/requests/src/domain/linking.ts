/** Which live incident a person's request is about. Pure: the caller gathers the candidates. */
import type { OpenIncident } from '@netdesk/ticketing';

/** A live incident a request may be about: ticketing's `OpenIncident` (what its `TicketReader` lists). */
export type IncidentCandidate = OpenIncident;

export interface NamedThing {
  id: string;
  name: string;
  host?: string;
  siteId: string | null;
}

export interface LinkInput {
  text: string;
  /** Sites the sender belongs to (a contact, or the site's mail domain). */
  senderSiteIds: string[];
  incidents: IncidentCandidate[];
  devices: NamedThing[];
  sites: NamedThing[];
}

export interface LinkDecision {
  incident: IncidentCandidate;
  reason: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `needle` appears in `text` as a whole word (names shorter than 3 characters never match). */
export function names(text: string, needle: string): boolean {
  const n = needle.trim();
  if (n.length < 3) return false;
  return new RegExp(`(^|[^\\w.-])${escape(n)}($|[^\\w-]|\\.(?!\\w))`, 'i').test(text);
}

const rank = (a: IncidentCandidate, b: IncidentCandidate) =>
  Number(b.faultType === 'device_down') - Number(a.faultType === 'device_down') ||
  a.priority.localeCompare(b.priority) ||
  a.openedAt.getTime() - b.openedAt.getTime();

/**
 * The incident to link a request to, or null. A device named in the text (by name or address) with an
 * open incident wins; then an incident at a site the text names, or at the sender's site (a contact or
 * the site's domain). Among several, a device being down beats a lesser fault, then the most urgent,
 * then the oldest (usually the root cause: what broke first).
 */
export function chooseIncident(input: LinkInput): LinkDecision | null {
  if (!input.incidents.length) return null;
  const text = input.text.slice(0, 20_000);
  const namedDevices = input.devices.filter((d) => names(text, d.name) || (d.host && names(text, d.host)));
  const byDevice = input.incidents.filter((i) => namedDevices.some((d) => d.id === i.deviceId)).sort(rank);
  if (byDevice.length) return { incident: byDevice[0], reason: `the request names ${byDevice[0].deviceName}` };
  const namedSites = input.sites.filter((s) => names(text, s.name));
  const siteOf = new Map<string, string>();
  for (const s of namedSites) siteOf.set(s.id, `the request names site ${s.name}`);
  for (const d of namedDevices)
    if (d.siteId && !siteOf.has(d.siteId)) siteOf.set(d.siteId, `the request names ${d.name}`);
  for (const id of input.senderSiteIds)
    if (!siteOf.has(id)) siteOf.set(id, "the sender is a contact of the device's site");
  const bySite = input.incidents.filter((i) => i.siteId && siteOf.has(i.siteId)).sort(rank);
  if (bySite.length) return { incident: bySite[0], reason: siteOf.get(bySite[0].siteId!)! };
  return null;
}
