export * from './roles';
export * from './input';
