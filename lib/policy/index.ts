/**
 * # Policy engine (`lib/policy`): one rule model for every check
 *
 * Domain-free: it knows constructs and Kubernetes objects, never Kafka, dbt or Airflow. Domain rules live in their
 * domain folder (`constructs/kafka/rules/<rule>.ts`, one rule per file) and packs assemble them.
 *
 * - **Rule** ({@link Rule}): metadata ({@link RuleInfo}: `id`, `level`, `description`, `rationale`, `remediation`,
 *   optional `docs`, `acknowledgeable`, `scanners` = Checkov / kube-linter ids and a Kyverno rule) plus one of
 *   - {@link ConstructRule}: `appliesTo(c): c is T` (a type guard the domain provides, e.g. `(c) => c instanceof Topic`)
 *     and `evaluate(c: T, ctx)`; or
 *   - {@link ObjectRule}: `kinds: ['Deployment', …] | '*'` and `evaluate(o: SynthesizedObject, ctx)`.
 *   `evaluate` returns `Compliance.COMPLIANT`, `Compliance.NOT_APPLICABLE`, a {@link Violation}
 *   (`{ message, field?, construct?, object? }`), a message string, or a list of them (empty = compliant).
 *   The context ({@link RuleContext}) gives `environment`, `production`, `objectsOf(construct)`, `objects(kind)`
 *   (same environment), `previous(object)` (the committed dist, for history rules) and `memo(key, compute)` (a fact
 *   about the whole environment, computed once per evaluation for every subject: keeps a rule that needs a graph or
 *   an index of the environment linear instead of quadratic). A rule that throws becomes
 *   a `DOP-POLICY-001` finding. Declare with `constructRule({...})` / `objectRule({...})` for type inference.
 * - **Ids**: `<PREFIX>-<AREA>-<NNN>` (`DOP-KAFKA-003`). `DOP-` is this project's; AREA is the domain (`K8S`, `KAFKA`,
 *   `PIPELINE`, `SECRETS`, `DBT`, `AIRFLOW`, `GOV`, `MON`, …); `DOP-POLICY-*` are the engine's own findings. Ids are
 *   never reused or renumbered. A team's pack uses its own prefix (`ACME-TOPIC-001`).
 * - **PolicyPack** ({@link PolicyPack}): `{ name, description?, rules }`, a plain object (publishable as npm package).
 * - **Choosing packs**: `Policies.of(platform).add(pack)` (all environments), `Policies.of(env).add(pack)` (one).
 *   Rules a domain always needs are added by its constructs: `Policies.require(this, kafkaSafetyPack)` in the
 *   constructor (explicit, no import side effects).
 * - **Acknowledging**: `Policies.acknowledge(scope, 'DOP-K8S-008', 'reason of ≥ 10 chars')` covers the scope and
 *   everything below. Acknowledged findings stay in every report with their reason; unused acknowledgements are
 *   `DOP-POLICY-002` warnings; acknowledging a rule with `acknowledgeable: false` is a `DOP-POLICY-003` error.
 * - **Findings** ({@link Finding}): `ruleId`, `level`, `pack`, `message` (what to do), `constructPath`, `environment`,
 *   `field`, `object` (apiVersion/kind/namespace/name + dist `file`), `source` (user file:line where the construct was
 *   created, captured by `validateProps`), `acknowledged` ({ reason, scope }).
 * - **Evaluation**: {@link evaluatePolicies}(platform | env, objects, options) → {@link PolicyReport}; one pass over
 *   the construct tree and one over the objects. Unacknowledged errors fail `synth`, `synth --check`, `synthesize()`.
 * - **Destructive changes** (`synth diff`): {@link ChangeDetector} (rule metadata + `detect(change)`), in packs'
 *   `detectors`, reported as findings with the same ids.
 */
export * from './rule';
export * from './finding';
export * from './pack';
export * from './change';
export * from './policies';
export * from './report';
export * from './evaluate';
export * from './engine-rules';
export { recordCreationSite } from './source';
export * from './json-report';
export * from './sarif-report';
export * from './text-report';
export * from './kyverno';
export * from './scanner-skips';
export { renderRulesMarkdown } from './rules-doc';
