package io.livedesk.media.tap;

/**
 * Where a tap delivers one speaker's audio: PCM16 mono frames at the rate the tap was opened with.
 *
 * <p>Called on a thread of the tap pool, never concurrently for one tap, in media-time order. The
 * calls must not block: the pool's few threads serve every tap of the bridge, so a sink that waits
 * (for a recognizer, a socket, a lock) delays every other speaker; hand the frame to your own queue.
 * An exception thrown here is counted ({@link AudioTapStats#sinkErrors()}) and the tap carries on.
 */
@FunctionalInterface
public interface AudioSink {

    /**
     * One frame, usually 20 ms (the sender's packet duration; the first frames after a start are a
     * little shorter while the resampler fills). The array is fresh and belongs to the sink.
     *
     * @param pcm         PCM16 mono samples at the tap's rate; concealed loss and inserted silence
     *                    arrive here too, so the stream has no holes up to the silence cap
     * @param mediaTimeMs when the frame starts, in ms since the tap's first packet, from the sender's
     *                    RTP timestamps: silence (DTX, loss) advances it as it happened, also past
     *                    the silence cap; it never goes backwards
     */
    void onAudio(short[] pcm, long mediaTimeMs);

    /**
     * The tap has ended (closed by its owner, its endpoint or conference expired, the bridge closed):
     * no more frames follow. Called once, after the last {@link #onAudio}; a transcriber finishes
     * its utterance here.
     */
    default void onClose() {
    }
}
