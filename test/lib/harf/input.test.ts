import { BadInputError } from '../../../lib/errors';
import { readMediaUrls, readTaskIds } from '../../../lib/harf/input';

describe('media URL lists', () => {
  it('splits texts on new lines, spaces and commas between URLs, keeping commas inside a URL', () => {
    expect(readMediaUrls('https://a.example/1.mp3,https://a.example/2.mp3\n https://a.example/x,y.mp3 ,\n', 'urls')).toEqual([
      'https://a.example/1.mp3',
      'https://a.example/2.mp3',
      'https://a.example/x,y.mp3',
    ]);
  });

  it('walks nested arrays, {media_urls} answers and objects with media_url', () => {
    expect(
      readMediaUrls(
        [['https://a.example/1.mp3'], { media_url: 'https://a.example/2.mp3', task_id: 't' }, { media_urls: ['https://a.example/3.mp3'] }],
        'urls',
      ),
    ).toEqual(['https://a.example/1.mp3', 'https://a.example/2.mp3', 'https://a.example/3.mp3']);
  });

  it('names the position of the first bad entry, what it was and what was expected', () => {
    let error: BadInputError | undefined;
    try {
      readMediaUrls('https://ok.example/a.mp3, episode-2.mp3', 'msg.payload');
    } catch (e) {
      error = e as BadInputError;
    }
    expect(error).toBeInstanceOf(BadInputError);
    expect(error?.field).toBe('msg.payload[1]');
    expect(error?.found).toBe('the text "episode-2.mp3"');
    expect(() => readMediaUrls('ftp://a.example/1.mp3', 'mediaUrls')).toThrow(/Invalid mediaUrls: found the text "ftp/);
    expect(() => readMediaUrls(undefined, 'mediaUrls')).toThrow(/found nothing \(undefined\)/);
    expect(() => readMediaUrls(42, 'mediaUrls')).toThrow(/found number 42/);
  });
});

describe('task id lists', () => {
  it('reads ids from texts, arrays, Submit Only items and the API answer', () => {
    expect(readTaskIds('a1, b2\nc3', 'taskIds').map((t) => t.task_id)).toEqual(['a1', 'b2', 'c3']);
    expect(readTaskIds([{ task_id: 'a1', media_url: 'https://x/1.mp3' }, 'b2'], 'p')).toEqual([
      { task_id: 'a1', media_url: 'https://x/1.mp3' },
      { task_id: 'b2' },
    ]);
    expect(readTaskIds({ state: 'PENDING', task_ids: ['x', 'y'] }, 'p').map((t) => t.task_id)).toEqual(['x', 'y']);
  });

  it('names an item without a usable task_id', () => {
    expect(() => readTaskIds([{ task_id: 'a' }, { task_id: '' }], 'msg.payload')).toThrow(
      /Invalid msg.payload\[1\].task_id: found an empty string/,
    );
    expect(() => readTaskIds('  ', 'taskIds')).toThrow(/expected one or more task ids/);
  });
});
