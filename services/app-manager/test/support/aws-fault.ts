/** An AWS error answer: its code (`__type` on ECS, `Error.Code` on the query and XML protocols) and message. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
