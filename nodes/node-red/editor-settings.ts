/**
 * The Node-RED dialogs' defaults and limits, taken from lib/jobs/settings so that the editor and the
 * runtime cannot drift apart. The build writes this script to resources/harf-settings.js, which
 * Node-RED serves to the editor beside resources/harf-editor.js.
 */
import { SETTINGS, SUBTITLE_FORMATS } from '../../lib/jobs';
import { DIGIT_STYLES, OUTPUT_MODES } from '../../lib/transcript';

export const EDITOR_SETTINGS_FILE = 'resources/harf-settings.js';

/** The script that gives the editor `window.HarfSettings`: the number settings and the choices its selects offer. */
export function editorSettingsScript(): string {
  const data = { settings: SETTINGS, outputModes: OUTPUT_MODES, subtitleFormats: SUBTITLE_FORMATS, digitStyles: DIGIT_STYLES };
  return (
    '// Written by the build from lib/jobs/settings.ts: the defaults and limits of the Node-RED dialogs. Do not edit.\n' +
    `window.HarfSettings = ${JSON.stringify(data, null, 4)};\n`
  );
}
