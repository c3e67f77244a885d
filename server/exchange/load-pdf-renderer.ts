import type { RenderPdfReport } from '../services/context';

/**
 * The PDF renderer for ServiceContext.renderPdfReport, loaded with the first
 * report rather than with every process. Imported by the processes
 * (server/index.ts, the CLI), never by a route: Next's bundler cannot follow
 * how pdfkit's fonts are found.
 */
export const loadPdfRenderer: RenderPdfReport = async (input) => (await import('./pdf-report')).renderPdfReport(input);
