/**
 * The speech node: a vosk-server-compatible WebSocket endpoint (Jakarta WebSocket on Tyrus with the
 * Grizzly container) over any {@link io.livedesk.speech.api.SpeechService}, a private HTTP port for
 * health and metrics, and {@link io.livedesk.speech.server.SpeechMain} to run it as a process.
 */
package io.livedesk.speech.server;
