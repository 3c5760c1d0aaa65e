import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** A stream of n8n's binary data, as its helpers give it (a Node.js Readable). */
type Readable = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** Audio or video read from an item's binary property, as a stream where n8n keeps it on disk. */
export interface BinaryMedia {
  source: Buffer | Readable;
  fileName: string;
  mimeType: string;
  /** Bytes, when known (always for a Buffer; from the metadata for a stream). */
  size?: number;
}

/**
 * Reads the binary property of one item. When n8n keeps binary data on disk or in object
 * storage (the binary has an id), the bytes are streamed; otherwise they are already in memory.
 */
export async function readBinaryMedia(context: IExecuteFunctions, itemIndex: number, propertyName: string): Promise<BinaryMedia> {
  const binary = context.helpers.assertBinaryData(itemIndex, propertyName);
  const fileName = binary.fileName ?? (binary.fileExtension ? `audio.${binary.fileExtension}` : 'audio');
  if (binary.id) {
    const [source, metadata] = await Promise.all([
      context.helpers.getBinaryStream(binary.id),
      context.helpers.getBinaryMetadata(binary.id),
    ]);
    return {
      source,
      fileName: metadata.fileName ?? fileName,
      mimeType: metadata.mimeType ?? binary.mimeType,
      size: metadata.fileSize,
    };
  }
  const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
  return { source: buffer, fileName, mimeType: binary.mimeType, size: buffer.length };
}

/** The whole of a binary property in memory, for short audio that is converted before sending. */
export async function readBinaryBuffer(media: BinaryMedia, context: IExecuteFunctions): Promise<Buffer> {
  return Buffer.isBuffer(media.source) ? media.source : await context.helpers.binaryToBuffer(media.source);
}

/** An operation's `input` when it reads the binary property `binaryPropertyName`: the file name a failed item names. */
export function binaryFileNameInput(this: IExecuteFunctions, itemIndex: number): IDataObject {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const fileName = this.getInputData()[itemIndex]?.binary?.[propertyName]?.fileName;
  return fileName ? { file_name: fileName } : {};
}
