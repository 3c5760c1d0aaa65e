import type { Operations } from '../../shared/registry';
import * as alignText from './alignText.operation';
import * as checkStatus from './checkStatus.operation';
import * as diarizeSpeakers from './diarizeSpeakers.operation';
import * as identifySpeaker from './identifySpeaker.operation';
import * as indexSpeakers from './indexSpeakers.operation';
import * as liveStream from './liveStream.operation';
import * as transcribeUrls from './transcribeUrls.operation';
import * as uploadFile from './uploadFile.operation';
import * as verifySpeaker from './verifySpeaker.operation';

/**
 * The Harf node's operations, the one list a new operation is added to: the node's Operation
 * options, subtitle and outputs are generated from it (scripts/n8n-descriptions.js) and its
 * router dispatches by it.
 */
export const operations: Operations = {
  transcribeUrls,
  uploadFile,
  checkStatus,
  liveStream,
  alignText,
  diarizeSpeakers,
  identifySpeaker,
  verifySpeaker,
  indexSpeakers,
};

/** Every parameter of every operation, each shown only for its operation. */
export const properties = Object.values(operations).flatMap((operation) => operation.description);
