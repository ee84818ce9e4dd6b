package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.speechtap.StreamFeed;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.media.tap.AudioTapStats;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptListener;

import java.time.Clock;
import java.util.Optional;

/**
 * Where transcription gets a participant's words. With the in-process bridge, its audio tap feeds a recognizer
 * stream of this node ({@link #of}); with remote LiveDesk bridge nodes, the bridge node streams the audio to the
 * speech nodes itself and this node collects the results ({@link RemoteAudioTaps}). Either way the caller sees the
 * same {@link TappedLeg} and the same events. With peer-to-peer media there is nothing to tap, and
 * {@link #unavailable} says why.
 */
public interface AudioTaps {
    /** Why nothing can be tapped here at all, or empty when taps can be opened (a single leg may still fail). */
    Optional<String> unavailable();

    /**
     * Starts transcribing the endpoint's audio; the recognizer's events go to {@code listener} (on a speech or poll
     * thread: it must not block). Never blocks on the network.
     *
     * @throws BridgeException            for an unknown endpoint, or a bridge that cannot tap now (the message says
     *                                    why, for staff as the caption status's reason)
     * @throws SpeechUnavailableException when no recognizer stream can be had (off, no model, overloaded)
     */
    TappedLeg open(MeetingId meetingId, String endpointId, StreamSpec spec, TranscriptListener listener)
            throws BridgeException, SpeechUnavailableException;

    /** Taps not yet finished. */
    int openTaps();

    /** Counters of every tap there has been in this process (zero where the audio is decoded elsewhere). */
    AudioTapStats totals();

    /** Whether the audio is decoded in this process (its tap counters mean something). */
    default boolean decodesHere() {
        return false;
    }

    static AudioTaps none(String why) {
        return new AudioTaps() {
            @Override
            public Optional<String> unavailable() {
                return Optional.of(why);
            }

            @Override
            public TappedLeg open(MeetingId meetingId, String endpointId, StreamSpec spec, TranscriptListener listener)
                    throws BridgeException {
                throw new BridgeException.Unavailable(why, null);
            }

            @Override
            public int openTaps() {
                return 0;
            }

            @Override
            public AudioTapStats totals() {
                return AudioTapStats.ZERO;
            }
        };
    }

    /** The in-process bridge's taps, each feeding a stream of {@code speech}. */
    static AudioTaps of(LocalBridge bridge, SpeechService speech, Clock clock) {
        return new AudioTaps() {
            @Override
            public Optional<String> unavailable() {
                return Optional.empty();
            }

            @Override
            public TappedLeg open(MeetingId meetingId, String endpointId, StreamSpec spec, TranscriptListener listener)
                    throws BridgeException, SpeechUnavailableException {
                SpeechStream stream = speech.open(spec, listener);
                StreamFeed feed = new StreamFeed(stream, spec.sampleRate(), clock);
                AudioTap tap;
                try {
                    tap = bridge.tapAudio(meetingId, endpointId, spec.sampleRate(), feed);
                } catch (BridgeException | RuntimeException e) {
                    stream.close();
                    throw e;
                }
                return new TappedLeg() {
                    @Override
                    public long lagMillis() {
                        return stream.lagMillis();
                    }

                    @Override
                    public long epochMillis(double eventSeconds) {
                        return feed.epochMillis(eventSeconds);
                    }

                    @Override
                    public long lastVoicedNanos() {
                        return feed.lastVoicedNanos();
                    }

                    @Override
                    public void close() {
                        tap.close(); // the feed finishes the stream
                    }
                };
            }

            @Override
            public int openTaps() {
                return bridge.openAudioTaps();
            }

            @Override
            public AudioTapStats totals() {
                return bridge.audioTapStats();
            }

            @Override
            public boolean decodesHere() {
                return true;
            }
        };
    }
}
