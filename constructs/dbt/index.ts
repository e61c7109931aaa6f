export type { DbtOutput, DbtOutputValue, DbtProfile, RenderedProfile } from './profile';
export type { DbtModelInfo, DbtModelOptions, IDatasetRef } from './model';
export { DbtProject } from './project';
export type { DbtProjectProps } from './project';
export * from './job';
