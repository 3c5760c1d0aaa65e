#!/bin/sh
# Makes the encoded audio fixtures in test/fixtures/audio once; the tests only read the files.
# Needs Debian's espeak-ng, sox, opus-tools, lame, flac and vorbis-tools:
#   apt-get install -y espeak-ng sox opus-tools lame flac vorbis-tools
set -eu
out="$(dirname "$0")/../test/fixtures/audio"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# About three seconds of speech, as a voice note would hold.
espeak-ng -s 150 -w "$tmp/speech.wav" "Please call Stella and ask her to bring these things from the store."
sox "$tmp/speech.wav" -r 48000 -c 1 -b 16 "$tmp/speech48.wav" trim 0 3
sox "$tmp/speech.wav" -r 44100 -c 2 -b 16 "$tmp/speech44s.wav" trim 0 3
# Telegram and WhatsApp voice notes: OGG/Opus, mono, speech bitrate.
opusenc --quiet --bitrate 24 --speech "$tmp/speech48.wav" "$out/voice-note.ogg"
lame --quiet -b 48 "$tmp/speech44s.wav" "$out/speech.mp3"
sox "$tmp/speech.wav" -r 8000 -c 1 -b 16 "$tmp/speech8.wav" trim 0 3
flac --silent --force --best -o "$out/speech.flac" "$tmp/speech8.wav"
oggenc --quiet -q 0 -o "$out/speech-vorbis.ogg" "$tmp/speech44s.wav"
ls -l "$out"
