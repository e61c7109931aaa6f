import { Compliance, objectRule, RuleLevel } from '../../../lib/policy/rule';
import { schemaHistory } from './schema-history';

/** Production schemas are checked for compatibility. */
export const productionSchemaCompatibility = objectRule({
  id: 'DOP-KAFKA-014',
  level: RuleLevel.ERROR,
  description: 'Production schemas have a compatibility level other than NONE',
  rationale: 'Under NONE any change is accepted, so a producer can break every consumer of the topic with one deploy.',
  remediation: 'Set compatibility: Compatibility.BACKWARD (or FORWARD/FULL, transitive where history matters) on the Schema.',
  kinds: ['ConfigMap'],
  evaluate: (o, ctx) => {
    const history = schemaHistory(o.object);
    if (!history || !ctx.production) return Compliance.NOT_APPLICABLE;
    const subject = (o.object.data as Record<string, string>).subject;
    return history.level === 'NONE' ? [{ field: 'compatibility', message: `production schema '${subject}' has compatibility NONE: set BACKWARD, FORWARD or FULL` }] : [];
  },
});
