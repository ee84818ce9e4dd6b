/**
 * In-process recognition with Vosk: {@link io.livedesk.speech.engine.SpeechModels} (one model per
 * language, loaded once), {@link io.livedesk.speech.engine.LocalSpeechService} (streams on a
 * bounded worker pool, admission and shedding) and the seam to libvosk ({@link
 * io.livedesk.speech.engine.Decoder}).
 */
package io.livedesk.speech.engine;
