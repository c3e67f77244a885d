export * from './types';
export * from './errors';
export type { EditOrigin } from './origin';
export * from './validation';
export * from './schema';
export * from './templates';
