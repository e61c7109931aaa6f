// Schema and consumer checks of synthesized output (`synth validate`). Generic: no domain knowledge.
export { type Severity, type RuleId, type Problem, type ObjectRef, type FileProblem, formatProblem } from './problem';
export { BUNDLED_CRDS_DIR } from './bundled';
export { type CrdDefinition, type CrdVersion, type CrdSourceProblem } from './crds';
export { SchemaValidator, type SchemaValidatorOptions } from './validator';
export { type DistFile, readDistFiles } from './dist-files';
export { validateDist, type ValidateDistOptions, type Report } from './dist';
export { argoCdDirectoryProblems, duplicateObjectProblems, type ArgoCdRuleOptions } from './consumers/argocd';
export { fluxDirectoryProblems, fluxBuilds, type FluxBuild, type FluxBuildOptions } from './consumers/flux';
export {
  generateKustomization, kustomizeBuild, KubectlNotFoundError, KUSTOMIZATION_FILES,
  type KustomizeBuildOptions, type KustomizeBuildResult,
} from './consumers/kustomize';
