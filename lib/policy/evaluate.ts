import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { closestMatch } from '../did-you-mean';
import { DataOpsError } from '../errors';
import { DataPlatform, Environment } from '../platform';
import { KubeObject, SynthesizedObject } from '../synthesizer/manifest';
import { ENGINE_PACK, ENGINE_RULES, NOT_ACKNOWLEDGEABLE, RULE_FAILED, UNUSED_ACKNOWLEDGEMENT } from './engine-rules';
import { Finding, FindingObject, SourceLocation } from './finding';
import { PolicyPack } from './pack';
import { Acknowledgement, Policies } from './policies';
import { PolicyReport, RuleSummary } from './report';
import { Compliance, ConstructRule, isConstructRule, ObjectRule, Rule, RULE_ID_PATTERN, RuleContext, RuleInfo, RuleOutcome, Violation } from './rule';
import { creationSiteOf, hasCreationSite } from './source';

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
  /** Only these environments. @default - all */
  readonly environments?: readonly string[];
  /** The previous version of an object (the committed dist), for rules about history. @default - none */
  readonly previous?: (object: SynthesizedObject) => KubeObject | undefined;
  /** Folder source paths in findings are relative to (the repository root). @default - the current directory */
  readonly root?: string;
}

interface Ruled<R extends Rule = Rule> { readonly rule: R; readonly pack: string; readonly summary: MutableSummary }
type MutableSummary = { -readonly [K in keyof RuleSummary]: RuleSummary[K] };

interface RuleSet {
  readonly constructRules: readonly Ruled<ConstructRule>[];
  readonly objectRules: ReadonlyMap<string, readonly Ruled<ObjectRule>[]>;
  readonly anyKindRules: readonly Ruled<ObjectRule>[];
  readonly byId: ReadonlyMap<string, Ruled>;
}

interface AckState { readonly ack: Acknowledgement; readonly scope: string; readonly construct: IConstruct; used: boolean; refused: boolean }

/**
 * Evaluates the packs of a platform (or of one environment) against its construct tree and synthesized objects,
 * in one pass over each: every construct is offered to the construct rules, every object to the rules of its kind.
 * Never throws for a rule's own failure (that is a DOP-POLICY-001 finding); throws for a misconfigured pack
 * (an invalid or duplicated rule id).
 */
export function evaluatePolicies(scope: DataPlatform | Environment, objects: readonly SynthesizedObject[], options: EvaluateOptions = {}): PolicyReport {
  return new Evaluation(scope, objects, options).run();
}

class Evaluation {
  private readonly findings: Finding[] = [];
  private readonly summaries = new Map<string, MutableSummary>();
  private readonly acks = new Map<string, AckState[]>();
  private readonly sited = new Map<string, IConstruct>();
  private readonly objectsByEnv = new Map<string, SynthesizedObject[]>();
  private readonly root: string;

  constructor(private readonly scope: DataPlatform | Environment, objects: readonly SynthesizedObject[], private readonly options: EvaluateOptions) {
    this.root = path.resolve(options.root ?? process.cwd());
    for (const o of objects) {
      const list = this.objectsByEnv.get(o.environment);
      if (list) list.push(o);
      else this.objectsByEnv.set(o.environment, [o]);
    }
  }

  public run(): PolicyReport {
    const envs = (this.scope instanceof Environment ? [this.scope] : this.scope.environments)
      .filter((e) => !this.options.environments || this.options.environments.includes(e.name));
    const platformPacks = Policies._peek(this.scope.node.root)?.packs ?? [];
    const ruleSets = new Map<string, RuleSet>();
    const allEnvs = !this.options.environments && !(this.scope instanceof Environment);
    // Acknowledgements above the environments (on the platform) cover every environment.
    for (const c of envs[0]?.node.scopes.slice(0, -1) ?? []) this.collect(c);
    for (const env of envs) {
      const packs = [...platformPacks, ...(Policies._peek(env)?.packs ?? [])];
      const key = packs.map((p) => p.name).join('\0');
      let set = ruleSets.get(key);
      if (!set) ruleSets.set(key, (set = this.ruleSet(packs)));
      this.evaluateEnvironment(env, set);
    }
    this.reportAcknowledgements(envs, allEnvs, [...ruleSets.values()]);
    return new PolicyReport(this.findings, [...this.summaries.values()]);
  }

  private ruleSet(packs: readonly PolicyPack[]): RuleSet {
    const byId = new Map<string, Ruled>();
    const constructRules: Ruled<ConstructRule>[] = [];
    const objectRules = new Map<string, Ruled<ObjectRule>[]>();
    const anyKindRules: Ruled<ObjectRule>[] = [];
    for (const pack of packs) {
      for (const rule of pack.rules) {
        if (!RULE_ID_PATTERN.test(rule.id)) throw new DataOpsError(`pack '${pack.name}': '${rule.id}' is not a valid rule id (like 'ACME-TOPIC-001')`);
        const seen = byId.get(rule.id);
        if (seen) {
          if (seen.rule === rule) continue;
          throw new DataOpsError(`rule id ${rule.id} is used by two different rules (packs '${seen.pack}' and '${pack.name}'); ids must be unique`);
        }
        const summary = this.summaryOf(rule, pack.name);
        const ruled = { rule, pack: pack.name, summary };
        byId.set(rule.id, ruled);
        if (isConstructRule(rule)) constructRules.push(ruled as Ruled<ConstructRule>);
        else if (rule.kinds === '*') anyKindRules.push(ruled as Ruled<ObjectRule>);
        else {
          for (const kind of rule.kinds) {
            const list = objectRules.get(kind);
            if (list) list.push(ruled as Ruled<ObjectRule>);
            else objectRules.set(kind, [ruled as Ruled<ObjectRule>]);
          }
        }
      }
    }
    return { constructRules, objectRules, anyKindRules, byId };
  }

  private summaryOf(rule: RuleInfo, pack: string): MutableSummary {
    let s = this.summaries.get(rule.id);
    if (!s) {
      s = {
        id: rule.id, level: rule.level, pack, description: rule.description, rationale: rule.rationale, remediation: rule.remediation,
        docs: rule.docs, scanners: rule.scanners, evaluated: 0, compliant: 0, nonCompliant: 0, notApplicable: 0, acknowledged: 0,
      };
      this.summaries.set(rule.id, s);
    }
    return s;
  }

  private collect(c: IConstruct): void {
    const own = Policies.acknowledgementsOf(c);
    if (own.length > 0) this.acks.set(c.node.path, own.map((ack) => ({ ack, scope: c.node.path, construct: c, used: false, refused: false })));
    if (hasCreationSite(c)) this.sited.set(c.node.path, c);
  }

  private evaluateEnvironment(env: Environment, set: RuleSet): void {
    const objects = this.objectsByEnv.get(env.name) ?? [];
    const context = new Context(env, objects, this.options.previous);
    const constructs = env.node.findAll();
    for (const c of constructs) this.collect(c);
    if (set.constructRules.length > 0) {
      for (const c of constructs) {
        for (const ruled of set.constructRules) {
          if (!ruled.rule.appliesTo(c)) continue;
          this.judge(ruled, context, () => ruled.rule.evaluate(c, context), c, undefined);
        }
      }
    }
    if (set.objectRules.size > 0 || set.anyKindRules.length > 0) {
      for (const o of objects) {
        const rules = set.objectRules.get(o.object.kind);
        if (rules) for (const ruled of rules) this.judge(ruled, context, () => ruled.rule.evaluate(o, context), undefined, o);
        for (const ruled of set.anyKindRules) this.judge(ruled, context, () => ruled.rule.evaluate(o, context), undefined, o);
      }
    }
  }

  private judge(ruled: Ruled, context: Context, evaluate: () => RuleOutcome, construct: IConstruct | undefined, object: SynthesizedObject | undefined): void {
    const s = ruled.summary;
    s.evaluated++;
    let outcome: RuleOutcome;
    try {
      outcome = evaluate();
    } catch (e) {
      // The output folder cannot be read (a damaged file): the user's to fix, whichever rule met it first.
      if (e instanceof OutputFolderProblem) throw e.cause;
      const reason = e instanceof Error ? e.message : String(e);
      this.add(RULE_FAILED, ENGINE_PACK, context, construct, object, {
        message: `rule ${ruled.rule.id} (pack '${ruled.pack}') failed: ${reason}. Report it to the pack's authors; acknowledge DOP-POLICY-001 here to proceed meanwhile`,
      });
      return;
    }
    if (outcome === Compliance.COMPLIANT) { s.compliant++; return; }
    if (outcome === Compliance.NOT_APPLICABLE) { s.notApplicable++; return; }
    const list = Array.isArray(outcome) ? outcome as readonly (Violation | string)[] : [outcome as Violation | string];
    if (list.length === 0) { s.compliant++; return; }
    s.nonCompliant++;
    for (const v of list) {
      const violation = typeof v === 'string' ? { message: v } : v;
      if (this.add(ruled.rule, ruled.pack, context, construct, object, violation)) s.acknowledged++;
    }
  }

  /** Adds a finding; returns whether an acknowledgement covers it. */
  private add(rule: RuleInfo, pack: string, context: Context, construct: IConstruct | undefined, object: SynthesizedObject | undefined, v: Violation): boolean {
    const c = v.construct ?? construct;
    const o = v.object ?? object ?? (c ? context.primaryObjectOf(c) : undefined);
    const constructPath = c ? c.node.path : o!.constructPath;
    const ack = this.acknowledgementFor(rule, constructPath);
    this.findings.push({
      ruleId: rule.id,
      level: rule.level,
      pack,
      message: v.message,
      constructPath,
      environment: context.environment.name,
      ...(v.field !== undefined ? { field: v.field } : {}),
      ...(o ? { object: objectOf(o) } : {}),
      ...optional('source', this.sourceOf(constructPath)),
      ...(ack ? { acknowledged: { reason: ack.ack.reason, scope: ack.scope } } : {}),
    });
    return ack !== undefined;
  }

  private acknowledgementFor(rule: RuleInfo, constructPath: string): AckState | undefined {
    for (let p: string | undefined = constructPath; p !== undefined; p = parentPath(p)) {
      const state = this.acks.get(p)?.find((a) => a.ack.ruleId === rule.id);
      if (!state) continue;
      if (rule.acknowledgeable === false) {
        state.refused = true;
        return undefined;
      }
      state.used = true;
      return state;
    }
    return undefined;
  }

  private sourceOf(constructPath: string): SourceLocation | undefined {
    for (let p: string | undefined = constructPath; p !== undefined; p = parentPath(p)) {
      const c = this.sited.get(p);
      const site = c && creationSiteOf(c);
      if (site) return { file: path.relative(this.root, site.file).split(path.sep).join('/'), line: site.line, column: site.column };
    }
    return undefined;
  }

  private reportAcknowledgements(envs: readonly Environment[], allEnvs: boolean, sets: readonly RuleSet[]): void {
    const known = new Map<string, Ruled>();
    for (const set of sets) for (const [id, r] of set.byId) known.set(id, r);
    for (const info of ENGINE_RULES) known.set(info.id, { rule: info as Rule, pack: ENGINE_PACK, summary: this.summaryOf(info, ENGINE_PACK) });
    const envPaths = new Set(envs.map((e) => e.node.path));
    for (const [scopePath, states] of [...this.acks].sort(([a], [b]) => a.localeCompare(b))) {
      const aboveEnvironments = ![...envPaths].some((e) => scopePath === e || scopePath.startsWith(`${e}/`));
      if (aboveEnvironments && !allEnvs) continue; // used, perhaps, by an environment not evaluated now
      const env = envs.find((e) => scopePath === e.node.path || scopePath.startsWith(`${e.node.path}/`)) ?? envs[0];
      if (!env) continue;
      const context = new Context(env, [], undefined);
      for (const state of states) {
        const rule = known.get(state.ack.ruleId)?.rule;
        if (state.refused || (rule && rule.acknowledgeable === false)) {
          this.add(NOT_ACKNOWLEDGEABLE, ENGINE_PACK, context, state.construct, undefined, {
            message: `${state.ack.ruleId} cannot be acknowledged (${rule?.description ?? 'see docs/rules.md'}); fix the finding and remove the acknowledgement`,
          });
          continue;
        }
        if (state.used) continue;
        const hint = rule ? '' : (() => {
          const best = closestMatch(state.ack.ruleId, [...known.keys()]);
          return best ? ` (no rule has this id; did you mean ${best}?)` : ' (no pack in use has a rule with this id)';
        })();
        this.add(UNUSED_ACKNOWLEDGEMENT, ENGINE_PACK, context, state.construct, undefined, {
          message: `the acknowledgement of ${state.ack.ruleId} ('${state.ack.reason}') matches no finding here or below${hint}; remove it`,
        });
      }
    }
    for (const f of this.findings) if (f.pack === ENGINE_PACK) this.summaryOf(ENGINE_RULES.find((r) => r.id === f.ruleId)!, ENGINE_PACK).nonCompliant++;
  }
}

/** What a rule sees of its environment; indexes are built on first use. */
class Context implements RuleContext {
  public readonly production: boolean;
  private byKind?: Map<string, SynthesizedObject[]>;
  private byPath?: { paths: string[]; objects: SynthesizedObject[]; order: Map<SynthesizedObject, number> };
  private readonly memos = new Map<symbol, unknown>();

  constructor(public readonly environment: Environment, private readonly envObjects: readonly SynthesizedObject[], private readonly readPrevious: EvaluateOptions['previous']) {
    this.production = environment.production;
  }

  public objects(kind: string): readonly SynthesizedObject[] {
    if (!this.byKind) {
      this.byKind = new Map();
      for (const o of this.envObjects) {
        const list = this.byKind.get(o.object.kind);
        if (list) list.push(o);
        else this.byKind.set(o.object.kind, [o]);
      }
    }
    return this.byKind.get(kind) ?? [];
  }

  public objectsOf(construct: IConstruct): readonly SynthesizedObject[] {
    const { order } = this.pathIndex();
    const out = this.under(construct.node.path, false);
    // Output order, not path order.
    return out.length > 1 ? out.sort((a, b) => order.get(a)! - order.get(b)!) : out;
  }

  /** The object a construct stands for: the one at its own path, else the first below it. */
  public primaryObjectOf(construct: IConstruct): SynthesizedObject | undefined {
    return this.under(construct.node.path, true)[0];
  }

  /** Objects at `p` and below it (paths sort '-' before '/', so the two ranges are searched apart). */
  private under(p: string, first: boolean): SynthesizedObject[] {
    const { paths, objects } = this.pathIndex();
    const out: SynthesizedObject[] = [];
    for (let i = lowerBound(paths, p); i < paths.length && paths[i] === p; i++) {
      out.push(objects[i]);
      if (first) return out;
    }
    const prefix = `${p}/`;
    for (let i = lowerBound(paths, prefix); i < paths.length && paths[i].startsWith(prefix); i++) {
      out.push(objects[i]);
      if (first) return out;
    }
    return out;
  }

  public previous(object: SynthesizedObject): KubeObject | undefined {
    try {
      return this.readPrevious?.(object);
    } catch (e) {
      throw new OutputFolderProblem(e);
    }
  }

  public memo<T>(key: symbol, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  private pathIndex(): { paths: string[]; objects: SynthesizedObject[]; order: Map<SynthesizedObject, number> } {
    if (!this.byPath) {
      const order = new Map(this.envObjects.map((o, i) => [o, i]));
      const sorted = [...this.envObjects].sort((a, b) => (a.constructPath < b.constructPath ? -1 : a.constructPath > b.constructPath ? 1 : order.get(a)! - order.get(b)!));
      this.byPath = { paths: sorted.map((o) => o.constructPath), objects: sorted, order };
    }
    return this.byPath;
  }
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function parentPath(p: string): string | undefined {
  if (p === '') return undefined;
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function objectOf(o: SynthesizedObject): FindingObject {
  const { apiVersion, kind, metadata } = o.object;
  return { apiVersion, kind, ...(metadata.namespace !== undefined ? { namespace: metadata.namespace } : {}), name: metadata.name, file: o.file };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A failure of the engine's own service (reading the committed dist) met inside a rule: not the rule's fault. */
class OutputFolderProblem {
  constructor(public readonly cause: unknown) {}
}
