import { closestMatch } from '../../../lib/did-you-mean';
import { constructRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { MaskingPolicy, schemasOf } from '../masking-policy';

/** DOP-GOV-004: the fields a MaskingPolicy masks exist in the value schema of each of its topics (when one is declared). */
export const maskedFieldsExist = constructRule({
  id: 'DOP-GOV-004',
  level: RuleLevel.ERROR,
  description: "A MaskingPolicy's fields exist in its topics' value schemas",
  rationale: 'A misspelt field masks nothing: the transform and the gateway skip a field the record does not have, and clear values flow on silently.',
  remediation: 'Fix the field name (dotted for nested fields) to one of the schema fields.',
  acknowledgeable: false,
  appliesTo: (c): c is MaskingPolicy => c instanceof MaskingPolicy,
  evaluate(policy) {
    const out: Violation[] = [];
    for (const s of schemasOf(policy, policy.topics)) {
      if (s.fields.length === 0) continue;
      const names = s.fields.map((f) => f.name);
      for (const f of policy.fields.filter((x) => !names.includes(x))) {
        const hint = closestMatch(f, names);
        out.push({ field: 'fields', message: `schema ${s.subject} has no field '${f}'${hint ? ` (did you mean '${hint}'?)` : ''}` });
      }
    }
    return out;
  },
});
