import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyPacks } from 'cdk8s-dataops';
import { ENGINE_RULES } from '../../../lib/policy/engine-rules';
import { renderRulesMarkdown } from '../../../lib/policy/rules-doc';
import { KAFKA_SAFETY_PACK } from '../../../constructs/kafka/rules/safety-pack';
import { maskingPack } from '../../../constructs/governance/rules';
import { OUTPUT_PACK } from '../../../lib/synthesizer/rules';

const DOC = path.join(__dirname, '../../../docs/rules.md');
const INTRO = `# Policy rules

Generated from the rule metadata by test/lib/policy/rules-doc.test.ts (run it with UPDATE_RULES_DOC=1 to rewrite this
file). Ids are \`<PREFIX>-<AREA>-<NNN>\` and never reused; acknowledge a finding with
\`Policies.acknowledge(scope, 'DOP-…', 'reason of at least 10 characters')\` (see the README, section Policies).`;

describe('docs/rules.md', () => {
  it('is generated from the rule metadata and up to date', () => {
    const text = renderRulesMarkdown([OUTPUT_PACK, PolicyPacks.recommended(), KAFKA_SAFETY_PACK, maskingPack], ENGINE_RULES, INTRO);
    if (process.env.UPDATE_RULES_DOC) fs.writeFileSync(DOC, text);
    expect(fs.readFileSync(DOC, 'utf8')).toBe(text);
    expect(text).toContain('## DOP-KAFKA-002'); // the topic-name rule has its entry
  });
});
