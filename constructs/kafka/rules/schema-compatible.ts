import { objectRule, RuleLevel } from '../../../lib/policy/rule';
import { checkCompatibility } from '../schema-compatibility';
import { schemaHistory } from './schema-history';

/** A new schema version satisfies its subject's compatibility level against the versions already in dist. */
export const schemaCompatibleWithHistory = objectRule({
  id: 'DOP-KAFKA-003',
  level: RuleLevel.ERROR,
  description: 'A new schema version is compatible with the committed versions under the subject\'s level',
  rationale: 'The schema registry refuses an incompatible version, and consumers built on the old versions would fail on the new data.',
  remediation: 'Make the change compatible (add fields with defaults, do not remove required ones), or use a new topic/subject.',
  acknowledgeable: false,
  kinds: ['ConfigMap'],
  evaluate: (o, ctx) => {
    const next = schemaHistory(o.object);
    if (!next) return [];
    const prev = schemaHistory(ctx.previous(o));
    if (!prev) return [];
    const subject = (o.object.data as Record<string, string>).subject;
    if (next.format !== prev.format) return [`subject '${subject}' changes format ${prev.format} → ${next.format}; a registry refuses that: use a new topic or subject`];
    const problems: string[] = [];
    for (let i = prev.versions.length; i < next.versions.length; i++) {
      for (const p of checkCompatibility(next.format, next.level, next.versions.slice(0, i), next.versions[i])) {
        problems.push(`schema '${subject}' version ${i + 1} is incompatible: ${p}`);
      }
    }
    return problems;
  },
});
