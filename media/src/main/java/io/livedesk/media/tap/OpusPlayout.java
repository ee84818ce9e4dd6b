package io.livedesk.media.tap;

import java.util.Arrays;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one speaker's ordered packets and gaps into PCM at the tap's rate: Concentus decodes Opus at
 * 48 kHz mono (a stereo stream is downmixed), {@link PolyphaseResampler} converts, the sink gets
 * frames with their media time. Media time counts every sample delivered plus the gaps skipped, so
 * it follows the sender's RTP clock.
 *
 * <p>Not thread-safe: one tap's worker uses it. Counters: one writer, any reader.
 */
final class OpusPlayout implements Playout {
    private static final Logger log = LoggerFactory.getLogger(OpusPlayout.class);
    /** The Opus RTP clock and the rate decoded at. */
    static final int OPUS_RATE = 48_000;
    /** The longest Opus packet: 120 ms. */
    static final int MAX_FRAME = 5760;
    /** PLC and FEC work in multiples of 2.5 ms. */
    private static final int PLC_GRANULE = 120;
    /** Silence is delivered in frames of 20 ms, like speech. */
    private static final int SILENCE_FRAME = 960;

    private final String label;
    private final int rate;
    private final AudioSink sink;
    private final OpusDecoder decoder;
    /** Null when the tap's rate is 48 kHz. */
    private final PolyphaseResampler resampler;
    private final short[] pcm = new short[MAX_FRAME];
    private final short[] zeros = new short[SILENCE_FRAME];

    /** Samples delivered, at the tap's rate. */
    private long delivered;
    /** Samples (48 kHz) of gaps jumped over without delivering. */
    private long skipped;

    private volatile long decoded;
    private volatile long decodeErrors;
    private volatile long silenceSamples;
    private volatile long sinkErrors;

    OpusPlayout(String label, int rate, AudioSink sink) {
        this.label = label;
        this.rate = rate;
        this.sink = sink;
        this.decoder = newDecoder();
        this.resampler = rate == OPUS_RATE ? null : new PolyphaseResampler(OPUS_RATE, rate);
    }

    private static OpusDecoder newDecoder() {
        try {
            return new OpusDecoder(OPUS_RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("Concentus refuses 48 kHz mono", e);
        }
    }

    @Override
    public int play(TapPacket packet) {
        byte[] payload = packet.payload();
        if (payload == null) {
            return 0;
        }
        int n;
        try {
            n = decoder.decode(payload, 0, payload.length, pcm, 0, MAX_FRAME, false);
        } catch (OpusException | RuntimeException e) {
            // Concentus reports some malformed packets by throwing from deep inside (index errors);
            // either way the packet is dropped and the decoder starts clean.
            n = -1;
        }
        if (n <= 0) {
            decodeErrors++;
            decoder.resetState();
            return -1;
        }
        decoded++;
        deliver(pcm, n);
        return n;
    }

    @Override
    public void conceal(int samples, TapPacket next) {
        int n = samples - samples % PLC_GRANULE;
        byte[] fec = next == null ? null : next.payload();
        while (n > 0) {
            int chunk = Math.min(n, MAX_FRAME);
            n -= chunk;
            // The last chunk borrows the next packet's in-band FEC (libopus runs PLC for any part of
            // the chunk the FEC does not cover, and for packets without FEC).
            boolean useFec = n == 0 && fec != null;
            int got;
            try {
                got = useFec ? decoder.decode(fec, 0, fec.length, pcm, 0, chunk, true)
                        : decoder.decode(null, 0, 0, pcm, 0, chunk, false);
            } catch (OpusException | RuntimeException e) {
                got = -1;
            }
            if (got <= 0) {
                decoder.resetState();
                silence(chunk + n);
                break;
            }
            deliver(pcm, got);
            if (got < chunk) {
                silence(chunk - got);
            }
        }
        if (samples % PLC_GRANULE != 0) {
            silence(samples % PLC_GRANULE);
        }
    }

    @Override
    public void silence(int samples) {
        silenceSamples += samples;
        for (int left = samples; left > 0; left -= SILENCE_FRAME) {
            deliver(zeros, Math.min(left, SILENCE_FRAME));
        }
    }

    @Override
    public void skip(long samples) {
        skipped += samples;
    }

    @Override
    public void reset() {
        decoder.resetState();
    }

    private void deliver(short[] pcm48, int n) {
        long mediaTimeMs = delivered * 1000 / rate + skipped * 1000 / OPUS_RATE;
        short[] out = resampler == null ? Arrays.copyOf(pcm48, n) : resampler.process(pcm48, 0, n);
        if (out.length == 0) {
            return;
        }
        delivered += out.length;
        try {
            sink.onAudio(out, mediaTimeMs);
        } catch (RuntimeException e) {
            if (sinkErrors++ == 0) {
                log.warn("audio tap {}: the sink failed (later failures are only counted)", label, e);
            }
        }
    }

    long decoded() {
        return decoded;
    }

    long decodeErrors() {
        return decodeErrors;
    }

    long silenceMs() {
        return silenceSamples / (OPUS_RATE / 1000);
    }

    long sinkErrors() {
        return sinkErrors;
    }
}
