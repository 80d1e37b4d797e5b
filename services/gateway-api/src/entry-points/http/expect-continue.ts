import type { IncomingMessage, Server, ServerResponse } from 'node:http';

// Answers whose client sent `Expect: 100-continue` and has not been told to send its body yet.
const awaitingContinue = new WeakSet<ServerResponse>();

/**
 * Node answers `Expect: 100-continue` with 100 Continue before any handler runs, so a client sends its whole body
 * (a disk image, a CloudTrail file) before the gateway has checked who sends it and whether it may go where it is
 * sent. On this server such a request goes on like any other, and its client is told to send the body only when the
 * body is about to be read (`continueBody`): a refusal before that is the final answer, the body never sent (Node
 * then closes the connection, as the client may still send it).
 */
export function deferContinue(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(res);
    server.emit('request', req, res);
  });
}

/** Whether the request's client waits for 100 Continue before it sends its body. */
export function awaitsContinue(res: ServerResponse): boolean {
  return awaitingContinue.has(res);
}

/** Tells a client waiting with `Expect: 100-continue` to send its body: once, and only before the answer began. */
export function continueBody(res: ServerResponse): void {
  if (!awaitingContinue.delete(res) || res.headersSent) return;
  res.writeContinue();
}
