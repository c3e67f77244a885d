/** Websocket close codes of the collaboration protocol (DESIGN.md, "Websocket protocol"). */
export const CloseCode = {
  /** The server is shutting down; the client reconnects to another or later. */
  GoingAway: 1001,
  /** Not part of the contract: a message that cannot be decoded closes that socket only. */
  Malformed: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  TooLarge: 4413,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
