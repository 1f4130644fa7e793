// Deterministic Account data for the benchmark: about 950 characters per row (10,000 rows ≈ 9.5 MB of CSV, under
// Salesforce's 10,000,000-character batch limit). The same rows feed localforce (as CSV) and the raw SQLite
// reference (as typed values), so both store exactly the same bytes.

export type Cell = string | number;

/** CSV header, in the order the cells of a row are generated. */
export const ACCOUNT_COLUMNS = [
  'Name', 'Type', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry',
  'ShippingStreet', 'ShippingCity', 'ShippingState', 'ShippingPostalCode', 'ShippingCountry',
  'Phone', 'Fax', 'AccountNumber', 'Website', 'Sic', 'Industry', 'AnnualRevenue', 'NumberOfEmployees',
  'Ownership', 'TickerSymbol', 'Description', 'Rating', 'Site', 'AccountSource',
] as const;

const TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'];
const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Finance', 'Food & Beverage', 'Healthcare', 'Insurance', 'Manufacturing', 'Media', 'Retail', 'Technology', 'Transportation', 'Utilities'];
const OWNERSHIP = ['Public', 'Private', 'Subsidiary', 'Other'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const CITIES = ['San Francisco', 'New York', 'Chicago', 'Austin', 'Seattle', 'Boston', 'Denver', 'Atlanta', 'Portland', 'San Diego', 'Toronto', 'London'];
const STATES = ['CA', 'NY', 'IL', 'TX', 'WA', 'MA', 'CO', 'GA', 'OR', 'ON'];
const COUNTRIES = ['United States', 'Canada', 'United Kingdom'];
const STREETS = ['Market Street', 'Main Street', 'Broadway', 'Elm Avenue', 'Oak Boulevard', 'Pine Road', 'Harbor Drive', 'Mission Street'];
const WORDS = (
  'account customer renewal contract pipeline quarterly revenue forecast enterprise platform integration support '
  + 'onboarding migration expansion strategic partner regional office headquarters procurement compliance security '
  + 'analytics dashboard subscription license upgrade discount negotiation stakeholder executive sponsor roadmap '
  + 'deployment rollout training workshop feedback escalation resolution priority milestone deliverable invoice'
).split(' ');

/** mulberry32: a small seeded PRNG, so every run (and every process) generates identical rows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function description(rnd: () => number, target: number, n: number): string {
  const parts: string[] = [`Account ${n} notes: `];
  let len = parts[0].length;
  let sentence = 0;
  while (len < target) {
    const w = WORDS[Math.floor(rnd() * WORDS.length)];
    let piece = w;
    sentence++;
    if (sentence % 11 === 0) piece = `${w}, "${WORDS[Math.floor(rnd() * WORDS.length)]}"`; // commas and quotes, to be quoted in CSV
    else if (sentence % 17 === 0) piece = `${w}.\n`; // a line break inside a long-text value
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
  return lines.join('\n') + '\n';
}
