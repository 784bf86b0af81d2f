export * from './schema.js';
export * from './versions.js';
export { SpecError } from './errors.js';
export { CONFIG_ENV, loadSpecs, mergeDocs, parseSpecFile, readSpecFile, resolveSpecs, type SpecFile } from './load.js';
export { defaultSpec } from './defaults.js';
export * from './profile/index.js';
export * from './naming.js';
