/**
 * The package's index in the UNI 11386:2020 (SInCRO 2.0) PIndex structure (../shared/conservation:
 * it validates against the ParER copy of PIndex.xsd). The schema qualifies every attribute, so
 * each carries the `sincro:` prefix. Hashes are SHA-256 in Base64, as in the example the schema is
 * published with (the schema does not fix the encoding: the README says which one PecDesk uses).
 */
import { el, wrap } from './xml.ts';

export const SINCRO_NS = 'http://www.uni.com/U3011/sincro-v2/';

export interface IndexFile {
  /** Path relative to the index (files/msg-0001/01-messaggio-inviato.eml). */
  path: string;
  sha256Base64: string;
  format: string;
  extension: string;
}

export interface IndexGroup {
  id: string;
  label: string;
  description?: string;
  files: IndexFile[];
}

export interface IndexAgent {
  kind: 'natural person' | 'legal person';
  name: string;
  /** ETSI-style id (VATIT-01234567890, TINIT-RSSMRA80A01H501U), when known. */
  id?: string | null;
  /** What grounds the role (the manuale di conservazione, an appointment). */
  document: string;
  role?: string;
}

export interface IndexInput {
  id: string;
  createdAt: Date;
  application: { name: string; version: string; producer: string };
  volume: { id: string; label: string; description: string };
  groups: IndexGroup[];
  submitter: IndexAgent;
  holder: IndexAgent;
  signer: IndexAgent;
  /** The index carries a timestamp (RFC 3161) beside it. */
  timestamped: boolean;
}

const AGENT_ID = /^(PAS|IDC|PNO|TIN|VAT|NTR|XX:)[A-Z]{2}-[A-Za-z0-9]+$/;

function agent(tag: string, a: IndexAgent, extra: Record<string, string> = {}): string {
  return wrap(
    tag,
    [
      a.id && AGENT_ID.test(a.id) ? el('sincro:AgentID', a.id) : '',
      wrap('sincro:AgentName', el('sincro:FormalName', a.name)),
      el('sincro:RelevantDocument', a.document),
    ],
    {
      'sincro:agentType': a.kind,
      ...extra,
    },
  );
}

/** xs:dateTime with the offset of Rome at that moment (2026-11-25T13:45:00+01:00). */
export function romeDateTime(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function pindexXml(input: IndexInput): string {
  const file = (f: IndexFile) =>
    wrap(
      'sincro:File',
      [
        el('sincro:ID', f.path.replace(/^files\//, ''), { 'sincro:scheme': 'local' }),
        el('sincro:Path', f.path),
        el('sincro:Hash', f.sha256Base64, {
          'sincro:hashFunction': 'SHA-256',
          'sincro:canonicalXML': 'false',
        }),
      ],
      { 'sincro:encoding': 'binary', 'sincro:extension': f.extension, 'sincro:format': f.format },
    );
  const body = [
    wrap('sincro:SelfDescription', [
      el('sincro:ID', input.id, { 'sincro:scheme': 'local' }),
      wrap('sincro:CreatingApplication', [
        el('sincro:Name', input.application.name),
        el('sincro:Version', input.application.version),
        el('sincro:Producer', input.application.producer),
      ]),
    ]),
    wrap('sincro:PVolume', [
      el('sincro:ID', input.volume.id, { 'sincro:scheme': 'local' }),
      el('sincro:Label', input.volume.label),
      el('sincro:Description', input.volume.description),
    ]),
    ...input.groups.map((g) =>
      wrap('sincro:FileGroup', [
        el('sincro:ID', g.id, { 'sincro:scheme': 'local' }),
        el('sincro:Label', g.label),
        el('sincro:Description', g.description),
        ...g.files.map(file),
      ]),
    ),
    wrap('sincro:Process', [
      agent('sincro:Submitter', input.submitter),
      agent('sincro:Holder', input.holder, { 'sincro:holderRole': 'soggetto produttore' }),
      agent('sincro:AuthorizedSigner', input.signer, {
        'sincro:signerRole': input.signer.role ?? 'Responsabile della conservazione',
      }),
      wrap(
        'sincro:TimeReference',
        el('sincro:TimeInfo', romeDateTime(input.createdAt), {
          'sincro:attachedTimeStamp': input.timestamped ? 'true' : 'false',
        }),
      ),
      el(
        'sincro:LawsAndRegulations',
        'Linee Guida AgID sulla formazione, gestione e conservazione dei documenti informatici (2021); UNI 11386:2020',
      ),
    ]),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${wrap('sincro:PIndex', body, {
    'xmlns:sincro': SINCRO_NS,
    'sincro:language': 'it',
    'sincro:sincroVersion': '2.0',
    'sincro:uri': 'http://www.uni.com/U3011/sincro-v2/PIndex.xsd',
  })}\n`;
}
