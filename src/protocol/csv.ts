// One CSV cell as Salesforce writes it in results and query files: always quoted, inner quotes doubled. Here, in the
// protocol layer, so results documents and query result files (src/wire/) write cells the same way.
export function csvCell(value: string): string {
  return `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
}
