/**
 * The header through which server/index.ts hands the socket's address to
 * Next's route handlers. The server overwrites whatever a client sent in it.
 */
export const CLIENT_IP_HEADER = 'x-journeyhub-client-ip';
