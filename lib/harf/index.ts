export * from './types';
export * from './client';
export * from './live';
export { mediaTypeFor } from './mediaTypes';
