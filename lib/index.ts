/**
 * The public part of `lib/` (re-exported by the package root). Everything else here (rendering, writing dist,
 * schema validation, the policy engine's reports, registries) is implementation: the command line and the domains
 * import it by file path, and it can change without a major version. api/cdk8s-dataops.api.md records the result.
 */
export { AggregateDataOpsError, DataOpsError, ValidationError } from './errors';
export type {
  CatalogName, GraphAnnotation, GraphEdge, GraphField, GraphGroup, GraphNode, IGraphContributor, IGraphGroup,
} from './graph/graph';
export { DataFlowGraph } from './graph/graph';
export type { ClassifiedField, DatasetClassification } from './graph/classification';
export { ObjectMetadata } from './metadata';
export { NameRule } from './names';
export * from './platform';
// The policy API: rules, packs, acknowledgements, findings and programmatic evaluation.
export {
  Compliance, constructRule, objectRule, RuleLevel, type ConstructRule, type KyvernoMapping, type ObjectRule, type Rule,
  type RuleContext, type RuleInfo, type RuleOutcome, type ScannerMappings, type Violation,
} from './policy/rule';
export type { AcknowledgementInfo, Finding, FindingObject, SourceLocation } from './policy/finding';
export type { PolicyPack } from './policy/pack';
export { changeDetector, type ChangeDetector, type ObjectChangeSubject } from './policy/change';
export { Policies, type Acknowledgement } from './policy/policies';
export { PolicyReport, type RuleSummary } from './policy/report';
export { evaluatePolicies, type EvaluateOptions } from './policy/evaluate';
export { KyvernoPolicies, type KyvernoExportOptions, type KyvernoPoliciesProps } from './policy/kyverno';
// Synthesis: programmatic `synthesizePlatform`, and the object shapes rules and custom constructs see.
export { Synthesis, synthesizePlatform, type SynthesizeOptions } from './synthesizer/synthesizer';
export type { OutputComparison, WriteResult } from './synthesizer/writer';
export type { KubeObject, SynthesizedObject } from './synthesizer/manifest';
export type { ArtifactContext } from './synthesizer/artifacts';
export type { ShardBudget } from './synthesizer/shards';
