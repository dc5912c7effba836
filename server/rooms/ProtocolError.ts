/** A refusal that closes the socket with a code and a reason the client can show. */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}
