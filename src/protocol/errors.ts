// The one error the protocol layer throws: a document that cannot be read as the document it should be. Callers map
// it to their own surface's error (the server to InvalidXml/ClientInputError or a SOAP fault, a test client to a
// failed assertion); its message is the text the server has always sent for that case.

export class ProtocolParseError extends Error {
  constructor(
    /** The document being read (`jobInfo`, `batchInfo`, `SOAP login request`, …). */
    readonly document: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolParseError';
  }
}
