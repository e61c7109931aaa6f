import { IConstruct } from 'constructs';
import { Compliance, constructRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { piiTopicOf, readerName } from '../private/analysis';
import { isGovernedTopic } from './subjects';

/**
 * DOP-GOV-001: every Kafka reader of a PII field (declared, or inherited through the lineage) gets it masked (a
 * transform on its connector, the Conduktor Gateway) or is exempt by a MaskingPolicy, which names it in the report.
 */
export const piiReadersMasked = constructRule({
  id: 'DOP-GOV-001',
  level: RuleLevel.ERROR,
  description: 'Every reader of a PII field gets it masked, or is named exempt by a MaskingPolicy',
  rationale: 'A reader that sees clear personal data without a recorded decision is a silent gap: copies in sinks, logs and warehouses outlive the topic and escape erasure requests.',
  remediation: 'Add a MaskingPolicy for the field on the topic (Kafka Connect sinks then get a masking transform automatically), add the reader to its `exempt` list when it needs clear values, or let the upstream app declare that it removes the field (Classification.declareHandling).',
  appliesTo: isGovernedTopic,
  evaluate(topic, context) {
    const found = piiTopicOf(topic, context);
    if (!found) return Compliance.NOT_APPLICABLE;
    const { analysis: a, info } = found;
    const out: Violation[] = [];
    for (const r of info.readers) {
      const gaps: string[] = [];
      for (const f of info.fields) {
        const e = r.fields.get(f.name);
        if (!e) gaps.push(`'${f.name}' (no MaskingPolicy covers it)`);
        else if (e.enforcement === 'none') gaps.push(`'${f.name}' (MaskingPolicy ${e.policy.policyName}, rule ${e.policy.ruleText}: ${e.detail})`);
      }
      if (info.wholeTopic && !a.policies.some((p) => p.topics.includes(topic) && p.exempt.includes(r.reader))) gaps.push('the whole topic is PII (only exempt readers may read it)');
      if (gaps.length === 0) continue;
      out.push({
        construct: r.reader as unknown as IConstruct,
        field: 'reads',
        message: `${readerName(a.graph, r.reader)} reads PII of topic '${topic.topicName}' in clear: ${gaps.join('; ')}`,
      });
    }
    return out;
  },
});
