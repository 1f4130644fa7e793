// Deterministic data for the benchmark. Account rows: about 950 characters per row (10,000 rows ≈ 9.5 MB of CSV,
// under Salesforce's 10,000,000-character batch limit). Mixed-type rows of a custom object (measurement 5), with
// the schema that declares it. The same rows feed localforce (as CSV) and the raw SQLite references (as typed
// values), so both store exactly the same bytes. (The extract's million Accounts come from bench/extract-load.ts.)
import type { SchemaSpec } from '../src/org/schema-file.js';
// The seeded PRNG the fuzz tests use: every run (and every process) generates identical rows.
import { prng } from '../test/helpers/prng.js';

export type Cell = string | number;

/** CSV header, in the order the cells of a row are generated. */
export const ACCOUNT_COLUMNS = [
  'Name',
  'Type',
  'BillingStreet',
  'BillingCity',
  'BillingState',
  'BillingPostalCode',
  'BillingCountry',
  'ShippingStreet',
  'ShippingCity',
  'ShippingState',
  'ShippingPostalCode',
  'ShippingCountry',
  'Phone',
  'Fax',
  'AccountNumber',
  'Website',
  'Sic',
  'Industry',
  'AnnualRevenue',
  'NumberOfEmployees',
  'Ownership',
  'TickerSymbol',
  'Description',
  'Rating',
  'Site',
  'AccountSource',
] as const;

const TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
];
const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Finance',
  'Food & Beverage',
  'Healthcare',
  'Insurance',
  'Manufacturing',
  'Media',
  'Retail',
  'Technology',
  'Transportation',
  'Utilities',
];
const OWNERSHIP = ['Public', 'Private', 'Subsidiary', 'Other'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const CITIES = [
  'San Francisco',
  'New York',
  'Chicago',
  'Austin',
  'Seattle',
  'Boston',
  'Denver',
  'Atlanta',
  'Portland',
  'San Diego',
  'Toronto',
  'London',
];
const STATES = ['CA', 'NY', 'IL', 'TX', 'WA', 'MA', 'CO', 'GA', 'OR', 'ON'];
const COUNTRIES = ['United States', 'Canada', 'United Kingdom'];
const STREETS = [
  'Market Street',
  'Main Street',
  'Broadway',
  'Elm Avenue',
  'Oak Boulevard',
  'Pine Road',
  'Harbor Drive',
  'Mission Street',
];
const WORDS = (
  'account customer renewal contract pipeline quarterly revenue forecast enterprise platform integration support ' +
  'onboarding migration expansion strategic partner regional office headquarters procurement compliance security ' +
  'analytics dashboard subscription license upgrade discount negotiation stakeholder executive sponsor roadmap ' +
  'deployment rollout training workshop feedback escalation resolution priority milestone deliverable invoice'
).split(' ');

function description(rnd: () => number, target: number, n: number): string {
  const parts: string[] = [`Account ${n} notes: `];
  let len = parts[0].length;
  let sentence = 0;
  while (len < target) {
    const w = WORDS[Math.floor(rnd() * WORDS.length)];
    let piece = w;
    sentence++;
    if (sentence % 11 === 0)
      piece = `${w}, "${WORDS[Math.floor(rnd() * WORDS.length)]}"`; // commas and quotes, to be quoted in CSV
    else if (sentence % 17 === 0)
      piece = `${w}.\n`; // a line break inside a long-text value
    else if (sentence % 7 === 0) piece = `${w},`;
    parts.push(piece);
    len += piece.length + 1;
  }
  return parts.join(' ');
}

export function generateAccounts(count: number, seed = 20240601): Cell[][] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const rows: Cell[][] = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(6, '0');
    const city = pick(CITIES);
    const state = pick(STATES);
    const country = pick(COUNTRIES);
    rows[i] = [
      `Benchmark Industries ${n} Holdings`,
      pick(TYPES),
      `${100 + Math.floor(rnd() * 9000)} ${pick(STREETS)}\nSuite ${Math.floor(rnd() * 900) + 100}`,
      city,
      state,
      String(10000 + Math.floor(rnd() * 89999)),
      country,
      `${100 + Math.floor(rnd() * 9000)} ${pick(STREETS)}`,
      pick(CITIES),
      pick(STATES),
      String(10000 + Math.floor(rnd() * 89999)),
      country,
      `(415) 555-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`,
      `(415) 555-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`,
      `AC-${n}-${Math.floor(rnd() * 1e6)}`,
      `https://www.benchmark-industries-${n}.example.com`,
      String(1000 + Math.floor(rnd() * 8999)),
      pick(INDUSTRIES),
      Math.floor(rnd() * 5e9), // currency, scale 0: stored as this number
      1 + Math.floor(rnd() * 250000), // int
      pick(OWNERSHIP),
      `BI${Math.floor(rnd() * 1000)}`,
      description(rnd, 560 + Math.floor(rnd() * 80), i),
      pick(RATINGS),
      `${city} ${pick(['HQ', 'Branch', 'Plant', 'Warehouse'])}`,
      pick(SOURCES),
    ];
  }
  return rows;
}

function csvValue(v: Cell): string {
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function accountsCsv(rows: readonly Cell[][]): string {
  const lines: string[] = [ACCOUNT_COLUMNS.join(',')];
  for (const r of rows) lines.push(r.map(csvValue).join(','));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement 5: a custom object with 20 custom fields of mixed types, declared in a schema file. Every value is
// valid, so every row goes through every coercion and check of its field (and the lookup, the external ids' unique
// check) and is inserted. About 470 characters per row (10,000 rows ≈ 4.7 MB).

export const MIXED_OBJECT = 'Bench_Mixed__c';

const STATUSES = ['Planned', 'Active', 'Paused', 'Closed', 'Cancelled'];
const TAGS = ['Fragile', 'Cold', 'Heavy', 'Priority', 'Bulk', 'Hazmat'];
const REGIONS = ['EMEA', 'AMER', 'APAC'];

/** The schema file's content (written as JSON to a temp dir): one custom object, 20 custom fields of mixed types. */
export const MIXED_SCHEMA: SchemaSpec = {
  objects: [
    {
      name: MIXED_OBJECT,
      label: 'Bench Mixed',
      fields: [
        { name: 'Code__c', type: 'string', length: 40, externalId: true, unique: true },
        { name: 'Title__c', type: 'string', length: 120 },
        { name: 'Notes__c', type: 'textarea', length: 2000 },
        { name: 'Status__c', type: 'picklist', values: STATUSES, restricted: true },
        { name: 'Tags__c', type: 'multipicklist', values: TAGS, restricted: true },
        { name: 'Active__c', type: 'boolean' },
        { name: 'Quantity__c', type: 'int', precision: 9 },
        { name: 'Weight__c', type: 'double', precision: 12, scale: 3 },
        { name: 'Amount__c', type: 'currency', precision: 18, scale: 2 },
        { name: 'Discount__c', type: 'percent', precision: 5, scale: 2 },
        { name: 'Due__c', type: 'date' },
        { name: 'Shipped__c', type: 'datetime' },
        { name: 'Window__c', type: 'time' },
        { name: 'Contact_Email__c', type: 'email', length: 80 },
        { name: 'Phone__c', type: 'phone', length: 40 },
        { name: 'Site__c', type: 'url', length: 255 },
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Account__r' },
        { name: 'Region__c', type: 'picklist', values: REGIONS },
        { name: 'Score__c', type: 'double', precision: 10, scale: 4 },
        { name: 'Legacy_Id__c', type: 'string', length: 20, externalId: true },
      ],
    },
  ],
};

/** CSV header of the mixed rows: Name, then the 20 custom fields in declaration order. */
export const MIXED_COLUMNS: readonly string[] = ['Name', ...MIXED_SCHEMA.objects[0].fields!.map((f) => f.name)];

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * `count` rows of valid raw values (as a client writes them in CSV), numbered from `offset` so that batches of
 * different rounds never repeat a unique Code__c. `accountIds` are existing Accounts the lookups point at.
 */
export function generateMixed(
  count: number,
  offset: number,
  accountIds: readonly string[],
  seed = 20240602,
): string[][] {
  const rnd = prng(seed + offset);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const word = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const rows: string[][] = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const tags = TAGS.filter(() => rnd() < 0.35);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    rows[i] = [
      `Mixed record ${String(n).padStart(8, '0')}`,
      `MX-${String(n).padStart(8, '0')}`,
      `${word()} ${word()} ${word()} ${word()}`,
      description(rnd, 140 + Math.floor(rnd() * 60), n),
      pick(STATUSES),
      (tags.length ? tags : [pick(TAGS)]).join(';'),
      rnd() < 0.5 ? 'true' : 'false',
      String(Math.floor(rnd() * 1_000_000)),
      (rnd() * 10_000).toFixed(3),
      (rnd() * 10_000_000).toFixed(2),
      (rnd() * 100).toFixed(2),
      `2024-${pad2(month)}-${pad2(day)}`,
      `2024-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(rnd() * 24))}:${pad2(Math.floor(rnd() * 60))}:${pad2(Math.floor(rnd() * 60))}.000Z`,
      `${pad2(Math.floor(rnd() * 24))}:${pad2(Math.floor(rnd() * 60))}:00.000Z`,
      `ops.${n}@warehouse-${Math.floor(rnd() * 500)}.example.com`,
      `(415) 555-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`,
      `https://portal.example.com/shipments/${n}`,
      accountIds[n % accountIds.length],
      pick(REGIONS),
      (rnd() * 1000).toFixed(4),
      `L-${Math.floor(n / 4)}`,
    ];
  }
  return rows;
}

export function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  const lines: string[] = [header.join(',')];
  for (const r of rows) lines.push(r.map(csvValue).join(','));
  return `${lines.join('\n')}\n`;
}
