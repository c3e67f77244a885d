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
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
