// API request counts per org over a rolling 24 hours (DailyApiRequests in /limits). Kept in memory, per process,
// in hourly buckets: counting each poll in the database would cost more than the poll itself.
export class ApiUsage {
  private readonly buckets = new Map<string, Map<number, number>>();
  constructor(private readonly now: () => number) {}

  count(orgId: string): void {
    const hour = Math.floor(this.now() / 3600_000);
    let org = this.buckets.get(orgId);
    if (!org) {
      org = new Map();
      this.buckets.set(orgId, org);
    }
    org.set(hour, (org.get(hour) ?? 0) + 1);
  }

  last24h(orgId: string): number {
    const hour = Math.floor(this.now() / 3600_000);
    let total = 0;
    const org = this.buckets.get(orgId);
    if (!org) return 0;
    for (const [h, n] of org) {
      if (h > hour - 24) total += n;
      else org.delete(h);
    }
    return total;
  }
}
