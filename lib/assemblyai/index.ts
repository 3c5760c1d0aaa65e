export * from './settings';
export * from './client';
export * from './sync';
