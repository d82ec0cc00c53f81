export * from './item.js';
export * from './vocabulary.js';
