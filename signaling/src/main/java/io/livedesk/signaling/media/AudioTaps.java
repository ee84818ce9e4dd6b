package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.tap.AudioSink;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.media.tap.AudioTapStats;

import java.util.Optional;

/**
 * Where transcription gets a participant's decoded audio. Only a bridge in this process can be tapped;
 * with remote bridges or peer-to-peer media there is nothing to tap, and {@link #unavailable} says why.
 */
public interface AudioTaps {
    /** Why nothing can be tapped here, or empty when taps can be opened. */
    Optional<String> unavailable();

    /**
     * Starts decoding the endpoint's audio into the sink, at the rate given.
     *
     * @throws BridgeException for an unknown endpoint, a bad rate, or when no tap can be opened now
     */
    AudioTap open(MeetingId meetingId, String endpointId, int sampleRate, AudioSink sink) throws BridgeException;

    /** Taps not yet finished. */
    int openTaps();

    /** Counters of every tap there has been. */
    AudioTapStats totals();

    static AudioTaps none(String why) {
        return new AudioTaps() {
            @Override
            public Optional<String> unavailable() {
                return Optional.of(why);
            }

            @Override
            public AudioTap open(MeetingId meetingId, String endpointId, int sampleRate, AudioSink sink)
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

    static AudioTaps of(LocalBridge bridge) {
        return new AudioTaps() {
            @Override
            public Optional<String> unavailable() {
                return Optional.empty();
            }

            @Override
            public AudioTap open(MeetingId meetingId, String endpointId, int sampleRate, AudioSink sink)
                    throws BridgeException {
                return bridge.tapAudio(meetingId, endpointId, sampleRate, sink);
            }

            @Override
            public int openTaps() {
                return bridge.openAudioTaps();
            }

            @Override
            public AudioTapStats totals() {
                return bridge.audioTapStats();
            }
        };
    }
}
