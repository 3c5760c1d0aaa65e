import { BadInputError } from '../../../lib/errors';
import { uploadNameAndType } from '../../../lib/harf/mediaTypes';
import { parseMediaUrls, parseTaskIds } from '../../../nodes/Harf/helpers/params';

describe('Media URLs field', () => {
  it('splits a text on commas, spaces and new lines', () => {
    expect(parseMediaUrls('https://a.example/1.mp3, https://a.example/2.mp3\nhttps://a.example/3.mp3\n')).toEqual([
      'https://a.example/1.mp3',
      'https://a.example/2.mp3',
      'https://a.example/3.mp3',
    ]);
  });

  it('takes an array from an expression, nested or with comma-separated entries', () => {
    expect(parseMediaUrls(['https://a.example/1.mp3', ['http://b.example/2.wav,https://c.example/3.ogg']])).toEqual([
      'https://a.example/1.mp3',
      'http://b.example/2.wav',
      'https://c.example/3.ogg',
    ]);
  });

  it('refuses what is not an http(s) URL, naming the field, what was found and what was expected', () => {
    expect(() => parseMediaUrls('ftp://a.example/1.mp3')).toThrow(BadInputError);
    try {
      parseMediaUrls('https://ok.example/a.mp3, episode-2.mp3');
      throw new Error('should have failed');
    } catch (error) {
      const bad = error as BadInputError;
      expect(bad.field).toBe('Media URLs[1]');
      expect(bad.found).toContain('episode-2.mp3');
      expect(bad.expected).toContain('http(s) URL');
    }
  });

  it('refuses an empty field or an object', () => {
    expect(() => parseMediaUrls('  ')).toThrow(/Invalid Media URLs: found an empty string/);
    expect(() => parseMediaUrls({ url: 'https://a.example/1.mp3' })).toThrow(/found an object with keys url/);
  });
});

describe('Task IDs field', () => {
  it('takes one id, a list, or an array', () => {
    expect(parseTaskIds('abc-1')).toEqual([{ task_id: 'abc-1' }]);
    expect(parseTaskIds('abc-1, abc-2')).toEqual([{ task_id: 'abc-1' }, { task_id: 'abc-2' }]);
    expect(parseTaskIds(['abc-1', 'abc-2'])).toEqual([{ task_id: 'abc-1' }, { task_id: 'abc-2' }]);
    // Submit Only items passed whole keep the media URL each task transcribes.
    expect(parseTaskIds([{ task_id: 'abc-1', media_url: 'https://example.com/a.mp3' }])).toEqual([
      { task_id: 'abc-1', media_url: 'https://example.com/a.mp3' },
    ]);
  });

  it('says what is missing when the incoming item has no task_id', () => {
    expect(() => parseTaskIds(undefined)).toThrow(/Invalid Task IDs: found nothing \(undefined\), expected one or more task ids/);
  });
});

describe('upload file name and type', () => {
  it('sends a Telegram voice note (.oga, octet-stream) as Ogg audio', () => {
    expect(uploadNameAndType('file_17.oga', 'application/octet-stream')).toEqual({
      fileName: 'file_17.ogg',
      mimeType: 'audio/ogg',
    });
    expect(uploadNameAndType('voice.oga', 'audio/ogg')).toEqual({ fileName: 'voice.ogg', mimeType: 'audio/ogg' });
  });

  it('maps aliases and gives a nameless file the extension of its type', () => {
    expect(uploadNameAndType('take.wav', 'audio/x-wav')).toEqual({ fileName: 'take.wav', mimeType: 'audio/wav' });
    expect(uploadNameAndType(undefined, 'audio/mpeg')).toEqual({ fileName: 'audio.mp3', mimeType: 'audio/mpeg' });
    expect(uploadNameAndType('clip', 'video/mp4; codecs=avc1')).toEqual({ fileName: 'clip.mp4', mimeType: 'video/mp4' });
  });

  it('refuses a file that is not media, naming the field, what was found and what was expected', () => {
    expect(() => uploadNameAndType('notes.pdf', 'application/pdf', 'data')).toThrow(
      /Invalid data: found a file of type application\/pdf \("notes.pdf"\), expected an audio or video file/,
    );
    expect(() => uploadNameAndType('blob', 'application/octet-stream')).toThrow(/media extension/);
  });
});
