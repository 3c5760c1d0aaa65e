/**
 * What the Harf and AssemblyAI Node-RED nodes share: reading their settings, reading msg.payload,
 * shaping transcripts into messages (through lib/transcript), status badges and cancellation.
 */
import { AbortedError, BadInputError, errorKind, TranscriptionError, type ErrorKind } from '../../lib/errors';
import {
  transcriptOutputs,
  type OutputEntry,
  type OutputOptions,
  type SubtitleFormat,
  type TranscriptOutputs,
  type TranscriptToShape,
} from '../../lib/jobs';
import { DIGIT_STYLES, OUTPUT_MODES, type OutputMode, type TranscriptFile } from '../../lib/transcript';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode, NodeStatus, SendFunction } from './types';

/** The editor's subtitles choice. */
export type Subtitles = 'none' | 'srt' | 'vtt' | 'both';
const SUBTITLE_CHOICES: readonly Subtitles[] = ['none', 'srt', 'vtt', 'both'];

/** The transcript and needs-review messages made from one input message. */
export interface ShapedMessages {
  transcript: NodeMessage[];
  review: NodeMessage[];
  /** The transcripts the messages were made from, for the finished status. */
  files: TranscriptFile[];
}

// ---------- settings saved by the editor ----------

export function booleanSetting(value: unknown): boolean {
  return value === true || value === 'true';
}

export function choiceSetting<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
  return choices.includes(value as T) ? (value as T) : fallback;
}

/** The subtitle files a choice asks for. */
export function subtitleFormats(choice: Subtitles): SubtitleFormat[] {
  if (choice === 'both') return ['srt', 'vtt'];
  return choice === 'none' ? [] : [choice];
}

/**
 * The output settings of a node. The dialog offers subtitles per file and as text, not per segment,
 * so none are attached in segment mode, unless `subtitlesInEveryMode` (a live stream's closing entry
 * carries them).
 */
export function readOutputOptions(
  definition: NodeDefinition,
  modes: readonly OutputMode[] = OUTPUT_MODES,
  reviewSplit = true,
  subtitlesInEveryMode = false,
): OutputOptions {
  const output = choiceSetting(definition.output, modes, modes[0]);
  const subtitles = subtitleFormats(choiceSetting(definition.subtitles, SUBTITLE_CHOICES, 'none'));
  const normalize = booleanSetting(definition.normalize) ? { digits: choiceSetting(definition.digits, DIGIT_STYLES, 'keep') } : undefined;
  return {
    output,
    splitUncertain: reviewSplit && booleanSetting(definition.splitUncertain),
    subtitles: output === 'segment' && !subtitlesInEveryMode ? [] : subtitles,
    ...(normalize && { normalize }),
  };
}

// ---------- reading msg.payload ----------

// ---------- shaping transcripts into messages ----------

/** A copy of the input message without its payload (an upload's Buffer is not copied per output). */
export function messageBase(RED: NodeAPI, msg: NodeMessage): NodeMessage {
  const { payload: _payload, ...rest } = msg;
  return RED.util.cloneMessage(rest as NodeMessage);
}

/** A message's properties for one entry: the entry's file fields, msg.srt and msg.vtt when it holds them. */
export function entryProperties(entry: OutputEntry): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...entry.fields };
  if (entry.subtitles?.srt !== undefined) properties.srt = entry.subtitles.srt;
  if (entry.subtitles?.vtt !== undefined) properties.vtt = entry.subtitles.vtt;
  return properties;
}

/**
 * Turns results into messages through lib's transcriptOutputs: each message is a copy of the
 * input message with the entry as payload (text mode: the text, with msg.media_url) and its
 * file's fields (such as msg.task_id) beside it.
 */
export function shapeMessages(RED: NodeAPI, msg: NodeMessage, results: TranscriptToShape[], options: OutputOptions): ShapedMessages {
  return outputMessages(RED, msg, transcriptOutputs(results, options), options);
}

/** Entries lib shaped, as messages (see shapeMessages). */
export function outputMessages(RED: NodeAPI, msg: NodeMessage, outputs: TranscriptOutputs, options: OutputOptions): ShapedMessages {
  const toMessage = (entry: OutputEntry, asText: boolean): NodeMessage => {
    const out: NodeMessage = { ...messageBase(RED, msg), ...entryProperties(entry) };
    if (asText) {
      out.payload = entry.json.text;
      out.media_url = entry.json.media_url;
      if (typeof entry.json.normalized_text === 'string') out.normalized_text = entry.json.normalized_text;
    } else {
      out.payload = entry.json;
    }
    return out;
  };
  return {
    transcript: outputs.transcript.map((entry) => toMessage(entry, options.output === 'text')),
    review: outputs.review.map((entry) => toMessage(entry, false)),
    files: outputs.files,
  };
}

/** Results without fields of their own, as the clients return them. */
export function resultsOf(results: TranscriptToShape['result'][]): TranscriptToShape[] {
  return results.map((result) => ({ result }));
}

/** Sends shaped messages: one output, or two (transcript, needs review) with the split on. */
export function sendShaped(send: SendFunction, shaped: ShapedMessages, splitUncertain: boolean): void {
  if (splitUncertain) send([shaped.transcript, shaped.review]);
  else send([shaped.transcript]);
}

// ---------- status ----------

/**
 * A node's status badge, its text from the node's locale catalog (`<type>.status.…`) in the
 * runtime's language; an error shows its short cause (`<type>.status.cause.<kind>`: "token
 * refused", "invalid URL", …), from the kind lib gives every error.
 */
export interface StatusBadge {
  working(key: string, values?: Record<string, unknown>): void;
  waiting(key: string, values?: Record<string, unknown>): void;
  done(key?: string, values?: Record<string, unknown>): void;
  /** What was done, from the transcripts sent: "2 files · 2:33" (their number and total duration). */
  transcribed(files: readonly TranscriptFile[]): void;
  failed(error: unknown): void;
  /** The cause of a kind, shown without an error (no account selected at start). */
  cause(kind: ErrorKind): void;
  clear(): void;
}

export function statusBadge(RED: NodeAPI, node: NodeRedNode, type: string): StatusBadge {
  const text = (key: string, values?: Record<string, unknown>) => RED._(`${type}.status.${key}`, values);
  const show = (fill: NodeStatus['fill'], shape: NodeStatus['shape'], label: string) => node.status({ fill, shape, text: label });
  return {
    working: (key, values) => show('blue', 'dot', text(key, values)),
    waiting: (key, values) => show('yellow', 'ring', text(key, values)),
    done: (key = 'done', values) => show('green', 'dot', text(key, values)),
    transcribed: (files) => show('green', 'dot', text('files', { count: files.length, duration: duration(totalSeconds(files)) })),
    failed: (error) => show('red', 'ring', text(`cause.${errorKind(error)}`)),
    cause: (kind) => show('red', 'ring', text(`cause.${kind}`)),
    clear: () => node.status({}),
  };
}

/** Seconds as a clock: 42 -> "00:42", 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${pad(minutes)}:${pad(secs)}`;
}

/** Seconds as a duration: 153 -> "2:33", 3725 -> "1:02:05". */
export function duration(seconds: number): string {
  return clock(seconds).replace(/^0(?=\d:)/, '');
}

function totalSeconds(files: readonly { duration_seconds?: number }[]): number {
  return files.reduce((sum, file) => sum + (Number.isFinite(file.duration_seconds) ? (file.duration_seconds as number) : 0), 0);
}

// ---------- failures ----------

/**
 * The input message as catch nodes get it after a failure, with what a flow routes on: the HTTP
 * status as core's `http request` sets it (`statusCode`), the error's kind (`errorKind`) and the
 * service's request id (`requestId`). Errors carry no token (lib/errors redacts them).
 */
export function failureMessage<T extends NodeMessage>(msg: T, error: unknown): T {
  const out: NodeMessage = msg;
  out.errorKind = errorKind(error);
  if (error instanceof TranscriptionError) {
    if (error.status !== undefined) out.statusCode = error.status;
    if (error.requestId) out.requestId = error.requestId;
  }
  return msg;
}

// ---------- cancellation on close ----------

/** Whether an error only says that work was cancelled (by a redeploy), not that it failed. */
export function isCancellation(error: unknown): boolean {
  return error instanceof AbortedError || (error instanceof Error && error.name === 'AbortError');
}

/**
 * The node's running requests and polls: each input gets an AbortController, and closing the
 * node (redeploy, stop) aborts every one still running.
 */
export class RunningWork {
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  start(): AbortController {
    const controller = new AbortController();
    if (this.closed) controller.abort();
    this.controllers.add(controller);
    return controller;
  }

  finish(controller: AbortController): void {
    this.controllers.delete(controller);
  }

  get size(): number {
    return this.controllers.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  abortAll(): void {
    this.closed = true;
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }
}

/** Ends a node's running work on redeploy or stop, well inside Node-RED's close timeout. */
export function endWorkOnClose(node: NodeRedNode, work: RunningWork): void {
  node.on('close', (_removed, done) => {
    work.abortAll();
    node.status({});
    done();
  });
}

/** Error objects carry no token (lib/errors redacts them); this keeps Node-RED's done(err) an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Finds a config node by id and checks it is of the expected type. */
export function configNode<T>(RED: NodeAPI, id: unknown, type: string): T | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  const found = RED.nodes.getNode(id) as (NodeRedNode & T) | null;
  return found && found.type === type ? found : undefined;
}

/** The error an input gets when the node has no usable config node. */
export function missingConfigError(property: string, type: string): BadInputError {
  return new BadInputError(property, 'no config node', `a ${type} config node selected in this node's settings`, 'missing-account');
}

/**
 * Runs one input message's work: gives it an AbortSignal tied to the node's close, and always
 * ends in done() or done(err) (err goes to catch nodes with the msg, see failureMessage). Work cancelled by a
 * redeploy ends quietly.
 */
export async function runInput(
  status: StatusBadge,
  work: RunningWork,
  msg: NodeMessage,
  done: (error?: Error) => void,
  task: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = work.start();
  try {
    await task(controller.signal);
    done();
  } catch (error) {
    if (controller.signal.aborted && (work.isClosed || isCancellation(error))) {
      done();
      return;
    }
    status.failed(error);
    // done(err) hands this same msg to the catch nodes.
    failureMessage(msg, error);
    done(asError(error));
  } finally {
    work.finish(controller);
  }
}
