package io.livedesk.media.api;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Transcription on a bridge: a tap decodes an endpoint's audio there and streams it to speech nodes, and the
 * caller collects the results by polling with a cursor per tap (nothing is lost or repeated across polls, and
 * one request per bridge serves every tap on it). A LiveDesk extension: a LiveDesk bridge node serves it at
 * {@code /livedesk/taps}; a Jitsi Videobridge cannot, and its client answers {@link BridgeException.BadRequest}.
 */
public interface SpeechTaps {
    /** Tap ids: the bridge's tokens, in URL paths and logs. */
    Pattern TAP_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** Most taps one events request may ask about. */
    int MAX_TAPS_PER_POLL = 1000;

    /**
     * Starts a tap; it ends when closed, or by itself with its endpoint, conference or the bridge.
     *
     * @return the tap's id, a token for URLs and logs
     * @throws BridgeException.NotFound    for an unknown conference or endpoint
     * @throws BridgeException.BadRequest  for a request this bridge cannot take (or a bridge that cannot tap)
     * @throws BridgeException.Unavailable when it has too many taps or is closing
     */
    String openTap(SpeechTapRequest request) throws BridgeException;

    /** Ends a tap: the audio is finished, so the last words still arrive as events. Unknown ids: nothing. */
    void closeTap(String tapId) throws BridgeException;

    /**
     * Events from each tap's cursor (0 at first); events before the cursor are known to be received and dropped.
     * Taps not asked about for a while are taken as abandoned and closed by the bridge.
     */
    SpeechTapEvents tapEvents(Map<String, Long> cursors) throws BridgeException;
}
