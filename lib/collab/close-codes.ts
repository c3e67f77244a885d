/**
 * Websocket close codes of the collaboration protocol (DESIGN.md, "Websocket
 * protocol"), shared by the server that sends them and the browser that
 * explains them.
 */
export const CloseCode = {
  /** The server is shutting down; the client reconnects to another or later. */
  GoingAway: 1001,
  /**
   * The member's role on the map changed (or a workshop copy was merged and is
   * read-only now): reconnect with a fresh token, which carries the current
   * role. Outside 4400–4499 on purpose: the stock y-websocket client treats
   * that range as final and stops, but reconnects after this one by itself (its
   * old token then counts for no more than the current role).
   */
  RoleChanged: 4205,
  /** Not part of the contract: a message that cannot be decoded closes that socket only. */
  Malformed: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  TooLarge: 4413,
  /**
   * The socket sent more messages, bytes or sync requests than its budget
   * (server/collab/socket-budget.ts). Inside 4400–4499 on purpose: the stock
   * client stops instead of reconnecting, because each reconnect costs the
   * server a full-state reply and a client that passes budgets far above what
   * the app sends is broken or hostile; a person reloads to come back.
   */
  TooManyRequests: 4429,
  /**
   * The socket did not read what the server sent it and its send buffer passed
   * the limit. Outside 4400–4499 on purpose (4500–4599 is y-websocket's "try
   * again later"): a browser on a stalled network reconnects by itself and
   * syncs again from the server's state.
   */
  TooSlow: 4503,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
