// The jobs users run, each rule written once for both runtimes: settings with their defaults and
// limits, following tasks to their end, transcripts into entries with subtitles, live streams by key,
// accounts checked before use.
export * from './settings';
export * from './tasks';
export * from './transcripts';
export * from './liveStreams';
export * from './speakers';
export * from './accounts';
export * from './shortAudioStreams';
export * from './uploads';
