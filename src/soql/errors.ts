// SOQL errors as Salesforce words them: a code (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, …) and a message
// that, for positional errors, starts with a caret block: the query line, a caret under the bad token,
// `ERROR at Row:r:Column:c`, then the text, as real orgs answer REST queries. No windowing: the whole line is
// echoed (docs/compatibility.md).

export class SoqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Position {
  row: number;
  column: number;
}

/** The query text with string literals blanked out, so token searches never land inside a value. */
function withoutLiterals(soql: string): string {
  return soql.replace(/'(?:\\.|[^'\\])*'?/g, (m) => ' '.repeat(m.length));
}

/** Offset of the first `token` appearing as a word outside string literals at or after `from` (case-insensitive). */
export function offsetOf(soql: string, token: string, from = 0): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`, 'gi');
  re.lastIndex = Math.max(0, from - 1);
  const m = re.exec(withoutLiterals(soql));
  return m ? m.index + m[1].length : Math.max(0, from);
}

/** Where `token` first appears as a word outside string literals, searching from `from`. */
export function positionOf(soql: string, token: string, from = 0): Position {
  return positionAt(soql, offsetOf(soql, token, from));
}

export function positionAt(soql: string, offset: number): Position {
  const before = soql.slice(0, offset).split('\n');
  return { row: before.length, column: before[before.length - 1].length + 1 };
}

export function caret(soql: string, at: Position, text: string): string {
  const line = soql.split('\n')[at.row - 1] ?? soql;
  return `\n${line}\n${' '.repeat(at.column - 1)}^\nERROR at Row:${at.row}:Column:${at.column}\n${text}`;
}

export const SoqlErrors = {
  unexpectedToken: (soql: string, at: Position, token: string) =>
    new SoqlError('MALFORMED_QUERY', caret(soql, at, `unexpected token: '${token}'`)),
  noSuchColumn: (soql: string, at: Position, name: string, object: string) =>
    new SoqlError(
      'INVALID_FIELD',
      caret(
        soql,
        at,
        `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    ),
  noSuchRelationship: (soql: string, at: Position, name: string) =>
    new SoqlError(
      'INVALID_FIELD',
      caret(
        soql,
        at,
        `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    ),
  unsupportedType: (soql: string, at: Position, name: string) =>
    new SoqlError(
      'INVALID_TYPE',
      caret(
        soql,
        at,
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    ),
  badFilterValue: (soql: string, at: Position, message: string) =>
    new SoqlError('INVALID_QUERY_FILTER_OPERATOR', caret(soql, at, message)),
  notSupported: (what: string, where: string) =>
    new SoqlError('FUNCTIONALITY_NOT_ENABLED', `${what} is not supported in ${where}`), // localforce wording
  offsetTooLarge: () => new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000'),
};
