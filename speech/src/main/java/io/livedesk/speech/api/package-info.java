/**
 * What signaling (and any other caller) uses: {@link io.livedesk.speech.api.SpeechService} opens a
 * {@link io.livedesk.speech.api.SpeechStream} per speaker, audio goes in, {@link
 * io.livedesk.speech.api.TranscriptEvent}s come out on a listener. The same API is served in
 * process ({@code engine.LocalSpeechService}) and by a remote speech node ({@code
 * client.RemoteSpeechService}).
 */
package io.livedesk.speech.api;
