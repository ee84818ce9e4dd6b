/**
 * The vosk-server WebSocket protocol, shared by our endpoint and our client: a text frame {@code
 * {"config":{"sample_rate":16000}}}, binary PCM16LE mono frames, {@code {"eof":1}}; replies {@code
 * {"partial":"…"}} and {@code {"text":"…","result":[…]}}, one per audio frame and one for eof, and
 * (our addition) {@code {"error":"…"}} before a close.
 */
package io.livedesk.speech.protocol;
