import { IConstruct } from 'constructs';
import { Compliance, constructRule, RuleLevel } from '../../../lib/policy/rule';
import { piiTopicOf, readerName } from '../private/analysis';
import { isGovernedTopic } from './subjects';

/**
 * DOP-GOV-003 (info): where the PII of a topic flows: each reader, how it gets each PII field (exempt, masked on
 * its connector, at the gateway, or in clear), and the datasets downstream that inherit the fields.
 */
export const piiFlows = constructRule({
  id: 'DOP-GOV-003',
  level: RuleLevel.INFO,
  description: 'Where each PII field flows: its readers, how they get it, and the datasets that inherit it',
  rationale: 'Reviewers and data protection officers need the full list of places personal data reaches, from the same pull request that changes it.',
  remediation: 'Informational: check that every place listed is intended.',
  appliesTo: isGovernedTopic,
  evaluate(topic, context) {
    const found = piiTopicOf(topic, context);
    if (!found) return Compliance.NOT_APPLICABLE;
    const { analysis: a, info } = found;
    const name = (id: string) => a.graph.node(id)?.name ?? id;
    // Datasets downstream (through the processes that read and write) that still carry one of these PII fields.
    const names = info.fields.map((f) => f.name);
    const reached = new Set<string>();
    const queue = [topic.graphNodeId];
    while (queue.length > 0) {
      const d = queue.shift()!;
      for (const p of a.graph.readersOf(d)) {
        for (const o of a.graph.readersOf(p)) {
          if (o === topic.graphNodeId || reached.has(o) || a.graph.node(o)?.role !== 'dataset') continue;
          if (!a.classes.get(o)?.fields.some((f) => names.includes(f.name) && f.tags.includes('pii'))) continue;
          reached.add(o);
          queue.push(o);
        }
      }
    }
    const downstream = [...reached].sort().map(name);
    const readers = info.readers.map((r) => `${readerName(a.graph, r.reader)}: ${info.fields.map((f) => {
      const e = r.fields.get(f.name);
      return `${f.name} ${e ? (e.enforcement === 'none' ? 'in clear' : e.enforcement === 'exempt' ? `exempt (MaskingPolicy ${e.policy.policyName})` : `masked (${e.detail})`) : 'in clear'}`;
    }).join(', ')}`);
    const other = a.graph.readersOf(topic.graphNodeId).filter((id) => !info.readers.some((r) => r.reader.graphNodeId === id)).map((id) => `${a.graph.node(id)?.kind ?? ''} ${name(id)} (lineage only, not a Kafka consumer)`);
    return {
      construct: topic as unknown as IConstruct,
      message: `PII ${info.fields.map((f) => f.name).join(', ') || '(whole topic)'} of '${topic.topicName}' flows to: ${[...readers, ...other].join('; ') || 'no reader'}` +
        (downstream.length ? `; inherited downstream by ${downstream.join(', ')}` : ''),
    };
  },
});
