/**
 * Transcription from the bridge: an audio tap's PCM fed to a recognizer stream ({@link
 * io.livedesk.media.speechtap.StreamFeed}, also what signaling uses with its in-process bridge), and on a bridge node
 * the speech taps signaling asks for ({@link io.livedesk.media.speechtap.SpeechTapRelay}): the audio goes from here
 * straight to speech nodes, the results wait in a bounded log per tap ({@link io.livedesk.media.speechtap.TapEventLog})
 * until signaling collects them.
 */
package io.livedesk.media.speechtap;
