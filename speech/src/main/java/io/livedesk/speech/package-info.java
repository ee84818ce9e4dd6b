/**
 * Vosk transcription. Start here: {@link io.livedesk.speech.SpeechConfig} (what to run, readable
 * from HOCON), {@link io.livedesk.speech.SpeechServices#create} (the service it describes) and the
 * {@code api} package (streams and their events). Packages by feature: {@code engine} (models,
 * local streams on a worker pool), {@code protocol} (vosk-server wire format), {@code server} (the
 * speech node), {@code client} (remote speech nodes), {@code bench} (the benchmark).
 */
package io.livedesk.speech;
