import { IConstruct } from 'constructs';
import { Compliance, constructRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { ITopic } from '../../kafka/topic';
import { pipelineOf } from './pipeline-of';

function isTopic(c: IConstruct): c is ITopic & IConstruct {
  return typeof (c as unknown as ITopic).isSharedWith === 'function' && Array.isArray((c as unknown as ITopic).accesses);
}

/** A pipeline reads another pipeline's topic only when the owner shared it. */
export const crossPipelineRead = constructRule({
  id: 'DOP-PIPELINE-001',
  level: RuleLevel.ERROR,
  description: 'A pipeline reads another pipeline\'s topic only when the owning pipeline shared it',
  rationale: 'The owning team decides who depends on its data: an unshared read is a dependency it does not know about, broken by its next change.',
  remediation: 'In the owning pipeline, call topic.shareWith(<reading pipeline>) (or make the topic public: true).',
  appliesTo: isTopic,
  evaluate: (topic) => {
    const owner = pipelineOf(topic);
    if (!owner) return Compliance.NOT_APPLICABLE;
    const out: Violation[] = [];
    for (const { principal, access } of topic.accesses) {
      if (access !== 'read') continue;
      const reader = (principal as unknown as IConstruct).node ? (principal as unknown as IConstruct) : principal.kafkaUser;
      const readerPipeline = pipelineOf(reader);
      if (!readerPipeline || readerPipeline === owner || topic.isSharedWith(reader)) continue;
      out.push({
        construct: readerPipeline,
        message: `pipeline '${readerPipeline.pipelineName}' (${reader.node.path}) reads topic '${topic.topicName}' of pipeline '${owner.pipelineName}', ` +
          `which is not shared with it: call topic.shareWith(<pipeline ${readerPipeline.pipelineName}>) in '${owner.pipelineName}' or make the topic public`,
      });
    }
    return out;
  },
});
