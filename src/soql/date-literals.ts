// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, …) as half-open UTC ranges [start, end) of days.
// localforce evaluates them in UTC (the org time zone is UTC).

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}
function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
function startOfQuarter(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1);
}
function startOfYear(ms: number): number {
  return Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);
}
/** Weeks start on Sunday, as in the en_US locale. */
function startOfWeek(ms: number): number {
  const day = startOfDay(ms);
  return day - new Date(day).getUTCDay() * DAY;
}

export interface DayRange {
  start: number;
  end: number;
}

/** The range a literal denotes at `now`, or undefined for an unknown literal. */
export function dateLiteralRange(literal: string, now: number): DayRange | undefined {
  const upper = literal.toUpperCase();
  const m = /^([A-Z0-9_]+?)(?::(\d+))?$/.exec(upper);
  if (!m) return undefined;
  // The fiscal year is the calendar year in localforce's org, so fiscal literals are their calendar twins.
  const name = m[1].replace('_FISCAL_QUARTER', '_QUARTER').replace('_FISCAL_YEAR', '_YEAR');
  const n = m[2] === undefined ? undefined : Number(m[2]);
  const range = literalRange(name, n, now);
  // A count so large the dates fall outside what a timestamp can hold is not a valid literal.
  const MAX = 8.64e15;
  if (!range || !(Math.abs(range.start) <= MAX && Math.abs(range.end) <= MAX)) return undefined;
  return range;
}

function literalRange(name: string, n: number | undefined, now: number): DayRange | undefined {
  const today = startOfDay(now);
  const week = startOfWeek(now);
  const month = startOfMonth(now);
  const quarter = startOfQuarter(now);
  const year = startOfYear(now);
  const r = (start: number, end: number): DayRange => ({ start, end });
  if (n === undefined) {
    switch (name) {
      case 'YESTERDAY':
        return r(today - DAY, today);
      case 'TODAY':
        return r(today, today + DAY);
      case 'TOMORROW':
        return r(today + DAY, today + 2 * DAY);
      case 'LAST_WEEK':
        return r(week - 7 * DAY, week);
      case 'THIS_WEEK':
        return r(week, week + 7 * DAY);
      case 'NEXT_WEEK':
        return r(week + 7 * DAY, week + 14 * DAY);
      case 'LAST_MONTH':
        return r(addMonths(month, -1), month);
      case 'THIS_MONTH':
        return r(month, addMonths(month, 1));
      case 'NEXT_MONTH':
        return r(addMonths(month, 1), addMonths(month, 2));
      case 'LAST_90_DAYS':
        return r(today - 90 * DAY, today + DAY);
      case 'NEXT_90_DAYS':
        return r(today + DAY, today + 91 * DAY);
      case 'LAST_QUARTER':
        return r(addMonths(quarter, -3), quarter);
      case 'THIS_QUARTER':
        return r(quarter, addMonths(quarter, 3));
      case 'NEXT_QUARTER':
        return r(addMonths(quarter, 3), addMonths(quarter, 6));
      case 'LAST_YEAR':
        return r(addMonths(year, -12), year);
      case 'THIS_YEAR':
        return r(year, addMonths(year, 12));
      case 'NEXT_YEAR':
        return r(addMonths(year, 12), addMonths(year, 24));
    }
    return undefined;
  }
  switch (name) {
    case 'LAST_N_DAYS':
      return r(today - n * DAY, today + DAY);
    case 'NEXT_N_DAYS':
      return r(today + DAY, today + (n + 1) * DAY);
    case 'N_DAYS_AGO':
      return r(today - n * DAY, today - (n - 1) * DAY);
    case 'LAST_N_WEEKS':
      return r(week - 7 * n * DAY, week);
    case 'NEXT_N_WEEKS':
      return r(week + 7 * DAY, week + 7 * (n + 1) * DAY);
    case 'LAST_N_MONTHS':
      return r(addMonths(month, -n), month);
    case 'NEXT_N_MONTHS':
      return r(addMonths(month, 1), addMonths(month, n + 1));
    case 'LAST_N_QUARTERS':
      return r(addMonths(quarter, -3 * n), quarter);
    case 'NEXT_N_QUARTERS':
      return r(addMonths(quarter, 3), addMonths(quarter, 3 * (n + 1)));
    case 'N_WEEKS_AGO':
      return r(week - 7 * n * DAY, week - 7 * (n - 1) * DAY);
    case 'N_MONTHS_AGO':
      return r(addMonths(month, -n), addMonths(month, -n + 1));
    case 'N_QUARTERS_AGO':
      return r(addMonths(quarter, -3 * n), addMonths(quarter, -3 * n + 3));
    case 'N_YEARS_AGO':
      return r(addMonths(year, -12 * n), addMonths(year, -12 * n + 12));
    case 'LAST_N_YEARS':
      return r(addMonths(year, -12 * n), year);
    case 'NEXT_N_YEARS':
      return r(addMonths(year, 12), addMonths(year, 12 * (n + 1)));
  }
  return undefined;
}
