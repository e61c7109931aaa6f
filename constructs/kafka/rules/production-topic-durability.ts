import { Compliance, objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { specOf, topicNameOf } from './topic-spec';

/** Production topics survive a broker loss without losing acknowledged writes. */
export const productionTopicDurability = objectRule({
  id: 'DOP-KAFKA-010',
  level: RuleLevel.ERROR,
  description: 'Production topics have replicas ≥ 3 and min.insync.replicas ≥ 2',
  rationale: 'With fewer replicas or min.insync.replicas 1, one broker failure loses acknowledged writes or makes the topic unavailable.',
  remediation: 'Set replicas: 3 (or more) and config.minInsyncReplicas: 2 on the Topic (the production defaults).',
  scanners: {
    kyverno: {
      productionOnly: true,
      rules: [{
        name: 'topic-durability',
        match: { any: [{ resources: { kinds: ['KafkaTopic'] } }] },
        validate: {
          message: 'production topics need spec.replicas >= 3 and spec.config min.insync.replicas >= 2',
          pattern: { spec: { replicas: '>=3', config: { 'min.insync.replicas': '>=2' } } },
        },
      }],
    },
  },
  kinds: ['KafkaTopic'],
  evaluate: (o, ctx) => {
    if (!ctx.production) return Compliance.NOT_APPLICABLE;
    const spec = specOf(o.object);
    const out: Violation[] = [];
    if ((spec.replicas ?? 1) < 3) out.push({ field: 'replicas', message: `production topic '${topicNameOf(o.object)}' has ${spec.replicas ?? 1} replica(s): set replicas: 3` });
    const minIsr = Number(spec.config?.['min.insync.replicas'] ?? 1);
    if (minIsr < 2) out.push({ field: 'config.minInsyncReplicas', message: `production topic '${topicNameOf(o.object)}' has min.insync.replicas ${minIsr}: set it to 2` });
    return out;
  },
});
