/**
 * {@link io.livedesk.speech.client.RemoteSpeechService}: the {@link
 * io.livedesk.speech.api.SpeechService} API served by a remote speech node over the vosk-server
 * protocol (a LiveDesk speech node, or vosk-server itself), one WebSocket per stream, on the Tyrus client.
 */
package io.livedesk.speech.client;
