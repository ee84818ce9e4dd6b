package io.livedesk.signaling.transcript;

import java.time.Duration;

/**
 * How much transcript a store keeps.
 *
 * @param retention   a call's transcript is forgotten this long after its last line was appended
 * @param maxLines    lines kept per call; appending more drops the oldest
 * @param memoryCalls the in-process store keeps the transcripts of at most this many calls (the ones
 *                    appended to least recently are dropped first); Redis bounds them by retention alone
 */
public record TranscriptLimits(Duration retention, int maxLines, int memoryCalls) {
    public TranscriptLimits {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("transcript retention must be positive, got " + retention);
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("transcript max lines must be at least 1, got " + maxLines);
        }
        if (memoryCalls < 1) {
            throw new IllegalArgumentException("transcript memory calls must be at least 1, got " + memoryCalls);
        }
    }
}
