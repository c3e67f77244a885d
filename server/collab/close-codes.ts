/** The close codes live in lib/collab so that the browser reads the same ones. */
export { CloseCode, type CloseCodeValue } from '../../lib/collab/close-codes';
