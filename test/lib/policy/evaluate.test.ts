import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  Compliance, constructRule, DataPlatform, Environment, evaluatePolicies, objectRule, Pipeline, Policies, PolicyPack, RuleLevel,
  synthesizePlatform,
} from 'cdk8s-dataops';
import { synthesize } from 'cdk8s-dataops/testing';

/** A construct of a made-up domain, with the type guard its domain would export. */
class Widget extends Construct {
  constructor(scope: Construct, id: string, public readonly size: number) {
    super(scope, id);
    new ApiObject(this, 'Resource', { apiVersion: 'v1', kind: 'ConfigMap', data: { size: String(size) } });
  }
}
const isWidget = (c: IConstruct): c is Widget => c instanceof Widget;

const smallWidgets = constructRule({
  id: 'TEST-WIDGET-001', level: RuleLevel.ERROR, description: 'Widgets are big enough', rationale: 'small ones break', remediation: 'use size >= 3',
  appliesTo: isWidget,
  evaluate: (w) => (w.size === 0 ? Compliance.NOT_APPLICABLE : w.size < 3 ? { message: `size ${w.size} is below 3`, field: 'size' } : Compliance.COMPLIANT),
});
const labelled = objectRule({
  id: 'TEST-LABEL-001', level: RuleLevel.WARNING, description: 'ConfigMaps have a team label', rationale: 'ownership', remediation: 'add a team label',
  kinds: ['ConfigMap'],
  evaluate: ({ object }) => (object.metadata.labels?.team ? [] : 'no team label'),
});
const pack: PolicyPack = { name: 'test', rules: [smallWidgets, labelled] };

function platformWith(sizes: number[]) {
  const platform = new DataPlatform({ lineageReports: false });
  const prod = new Environment(platform, 'prod', { labels: { team: 'a' } });
  const widgets = sizes.map((s, i) => new Widget(prod, `w${i}`, s));
  return { platform, prod, widgets };
}

function evaluate(platform: DataPlatform) {
  const synthesis = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-policy-test' });
  return synthesis.policy;
}

describe('evaluatePolicies', () => {
  it('offers every construct to construct rules and every object to the rules of its kind, with counts per rule', () => {
    const { platform } = platformWith([5, 1, 0]);
    Policies.of(platform).add(pack);
    const report = evaluate(platform);
    expect(report.findings.map((f) => [f.ruleId, f.constructPath, f.field, f.message, f.object?.file])).toEqual([
      ['TEST-WIDGET-001', 'prod/w1', 'size', 'size 1 is below 3', 'manifests/prod/prod/configmap.w1.yaml'],
    ]);
    const summary = report.rules.find((r) => r.id === 'TEST-WIDGET-001')!;
    expect([summary.evaluated, summary.compliant, summary.nonCompliant, summary.notApplicable]).toEqual([3, 1, 1, 1]);
    expect(report.rules.find((r) => r.id === 'TEST-LABEL-001')!.compliant).toBe(3);
    expect(() => report.assertNoBlocking()).toThrow("prod/w1, field 'size': size 1 is below 3 [TEST-WIDGET-001]");
  });

  it("records where the user created the construct (this file and line) for the findings' source", () => {
    const platform = new DataPlatform({ lineageReports: false });
    Policies.of(platform).add(pack);
    const env = new Environment(platform, 'prod', { labels: { team: 'a' } });
    const line = Number(new Error().stack!.split('\n')[1].match(/:(\d+):\d+\)?$/)![1]) + 1;
    new Pipeline(env, 'orders', { owner: 'team-a' });
    new Widget(env.node.findChild('orders'), 'w', 1);
    const finding = evaluate(platform).findings[0];
    expect(finding.constructPath).toBe('prod/orders/w');
    // Widget records nothing itself; the nearest ancestor with a known place is the Pipeline (validateProps records it).
    expect(finding.source).toEqual({ file: 'test/lib/policy/evaluate.test.ts', line, column: expect.any(Number) });
  });

  it('applies an environment pack only there, and a platform pack everywhere', () => {
    const platform = new DataPlatform({ lineageReports: false });
    const dev = new Environment(platform, 'dev');
    const prod = new Environment(platform, 'prod');
    new Widget(dev, 'w', 1);
    new Widget(prod, 'w', 1);
    Policies.of(prod).add({ name: 'strict', rules: [smallWidgets] });
    expect(evaluate(platform).findings.map((f) => f.constructPath)).toEqual(['prod/w']);
    expect(() => synthesize(dev)).not.toThrow();
    expect(() => synthesize(prod)).toThrow('[TEST-WIDGET-001]');
  });

  it('turns a rule that throws into a DOP-POLICY-001 finding naming the rule, never a crash', () => {
    const { platform } = platformWith([5]);
    const broken = objectRule({ ...labelled, id: 'TEST-BROKEN-001', evaluate: () => { throw new Error('cannot read x of undefined'); } });
    Policies.of(platform).add({ name: 'buggy', rules: [broken] });
    const report = evaluate(platform);
    expect(report.findings.map((f) => [f.ruleId, f.level, f.constructPath, f.message])).toEqual([
      ['DOP-POLICY-001', 'error', 'prod/w0', "rule TEST-BROKEN-001 (pack 'buggy') failed: cannot read x of undefined. Report it to the pack's authors; acknowledge DOP-POLICY-001 here to proceed meanwhile"],
    ]);
  });

  it('refuses two different rules with one id, and an invalid id', () => {
    const { platform } = platformWith([5]);
    Policies.of(platform).add(pack).add({ name: 'other', rules: [{ ...labelled, evaluate: () => [] }] });
    expect(() => evaluate(platform)).toThrow("rule id TEST-LABEL-001 is used by two different rules (packs 'test' and 'other'); ids must be unique");
    const second = platformWith([5]).platform;
    Policies.of(second).add({ name: 'bad', rules: [{ ...labelled, id: 'lower-case' }] });
    expect(() => evaluate(second)).toThrow("pack 'bad': 'lower-case' is not a valid rule id");
  });
});

describe('Policies.acknowledge', () => {
  it('covers the scope and everything below; the finding stays, with its reason, and does not fail', () => {
    const { platform, prod } = platformWith([1, 2]);
    Policies.of(platform).add(pack);
    Policies.acknowledge(prod, 'TEST-WIDGET-001', 'legacy widgets, replaced in PAY-123');
    const report = evaluate(platform);
    expect(report.findings.map((f) => [f.constructPath, f.acknowledged])).toEqual([
      ['prod/w0', { reason: 'legacy widgets, replaced in PAY-123', scope: 'prod' }],
      ['prod/w1', { reason: 'legacy widgets, replaced in PAY-123', scope: 'prod' }],
    ]);
    expect(report.blocking).toEqual([]);
    expect(report.rules.find((r) => r.id === 'TEST-WIDGET-001')!.acknowledged).toBe(2);
  });

  it('covers nothing beside the scope', () => {
    const { platform, widgets } = platformWith([1, 2]);
    Policies.of(platform).add(pack);
    Policies.acknowledge(widgets[0], 'TEST-WIDGET-001', 'known small one, see ticket');
    expect(evaluate(platform).blocking.map((f) => f.constructPath)).toEqual(['prod/w1']);
  });

  it('needs a reason of at least 10 characters and a rule id', () => {
    const { widgets } = platformWith([1]);
    expect(() => Policies.acknowledge(widgets[0], 'TEST-WIDGET-001', 'because')).toThrow(
      "prod/w0, field 'reason': acknowledging TEST-WIDGET-001 needs a reason of at least 10 characters");
    expect(() => Policies.acknowledge(widgets[0], 'widget rule', 'a long enough reason')).toThrow("'widget rule' is not a rule id");
  });

  it('reports an acknowledgement that matches nothing (DOP-POLICY-002), with a did-you-mean for an unknown id', () => {
    const { platform, widgets } = platformWith([5]);
    Policies.of(platform).add(pack);
    Policies.acknowledge(widgets[0], 'TEST-WIDGET-001', 'was small once, now fine');
    Policies.acknowledge(widgets[0], 'TEST-WIDGTE-001', 'a typo in the rule id here');
    const report = evaluate(platform);
    expect(report.findings.map((f) => [f.ruleId, f.level, f.constructPath, f.message])).toEqual([
      ['DOP-POLICY-002', 'warning', 'prod/w0', "the acknowledgement of TEST-WIDGET-001 ('was small once, now fine') matches no finding here or below; remove it"],
      ['DOP-POLICY-002', 'warning', 'prod/w0', "the acknowledgement of TEST-WIDGTE-001 ('a typo in the rule id here') matches no finding here or below (no rule has this id; did you mean TEST-WIDGET-001?); remove it"],
    ]);
  });

  it('cannot suppress a rule that is not acknowledgeable (DOP-POLICY-003), and the finding still fails', () => {
    const { platform, widgets } = platformWith([1]);
    Policies.of(platform).add({ name: 'hard', rules: [{ ...smallWidgets, acknowledgeable: false }] });
    Policies.acknowledge(widgets[0], 'TEST-WIDGET-001', 'we would like to ignore this');
    const report = evaluate(platform);
    expect(report.blocking.map((f) => f.ruleId)).toEqual(['DOP-POLICY-003', 'TEST-WIDGET-001']);
  });
});

describe('RuleContext.memo', () => {
  it('computes a fact once per environment and evaluation, shared by every subject, and afresh in the next evaluation', () => {
    const platform = new DataPlatform({ lineageReports: false });
    const prod = new Environment(platform, 'prod', { labels: { team: 'a' } });
    const dev = new Environment(platform, 'dev', { labels: { team: 'a' } });
    [3, 4, 5].forEach((s, i) => new Widget(prod, `w${i}`, s));
    [6, 1].forEach((s, i) => new Widget(dev, `w${i}`, s));
    const TOTAL = Symbol('total widget size');
    const computed: string[] = [];
    // A rule comparing each widget with its environment's total: the total is computed once per environment.
    const aboveAverage = constructRule({
      id: 'TEST-WIDGET-002', level: RuleLevel.WARNING, description: 'Widgets are not below average', rationale: 'balance', remediation: 'grow it',
      appliesTo: isWidget,
      evaluate: (w, context) => {
        const { total, count } = context.memo(TOTAL, () => {
          computed.push(context.environment!.name);
          const all = context.environment!.node.findAll().filter(isWidget);
          return { total: all.reduce((n, x) => n + x.size, 0), count: all.length };
        });
        return w.size * count < total ? `size ${w.size} is below the average ${total / count}` : Compliance.COMPLIANT;
      },
    });
    Policies.of(platform).add({ name: 'avg', rules: [aboveAverage] });
    const report = evaluate(platform);
    expect(computed.sort()).toEqual(['dev', 'prod']);
    expect(report.findings.map((f) => [f.constructPath, f.message])).toEqual([
      ['dev/w1', 'size 1 is below the average 3.5'],
      ['prod/w0', 'size 3 is below the average 4'],
    ]);
    new Widget(prod, 'w3', 0);
    expect(evaluate(platform).findings.map((f) => f.message)).toContain('size 0 is below the average 3');
    expect(computed).toHaveLength(4);
  });
});

describe('Policies.of', () => {
  it('is chosen on a platform or an environment only, and refuses the same pack twice', () => {
    const { platform, widgets } = platformWith([1]);
    expect(() => Policies.of(widgets[0] as unknown as DataPlatform)).toThrow('prod/w0: policies are chosen on a DataPlatform or an Environment');
    Policies.of(platform).add(pack);
    expect(() => Policies.of(platform).add(pack)).toThrow("pack 'test' is already added here");
  });

  it('evaluates an environment alone (the testing synthesize) with the platform packs', () => {
    const { platform, prod } = platformWith([1]);
    Policies.of(platform).add(pack);
    const objects = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-policy-test' }).objects;
    expect(evaluatePolicies(prod, objects).findings.map((f) => f.ruleId)).toEqual(['TEST-WIDGET-001']);
  });
});
