export * from './types';
export * from './client';
export * from './live';
export { uploadNameAndType, sniffMediaType } from './mediaTypes';
export * from './input';
export * from './speakers';
