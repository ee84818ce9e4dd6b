package io.livedesk.signaling.transcript;

import io.livedesk.signaling.call.CallId;

import java.util.List;

/**
 * Where the transcripts of calls live: in this JVM for one node, in Redis when several nodes share the
 * work. Both implementations pass {@code TranscriptStoreContract} and keep the same limits: at most
 * {@code maxLines} lines per call (the oldest are dropped first), and a call's transcript is forgotten
 * {@code retention} after its last line was appended.
 */
public interface TranscriptStore {

    /**
     * Appends a final line to its call's transcript and returns it as stored, with the next sequence
     * number of the call (1 for the first; the argument's own seq is ignored).
     */
    TranscriptLine append(TranscriptLine line);

    /** The call's lines in the order they were appended; empty for an unknown or expired call. */
    List<TranscriptLine> lines(CallId callId);
}
