export * from './roles';
export * from './input';
export * from './history-input';
export * from './account-input';
