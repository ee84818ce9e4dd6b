package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The codecs, RTCP feedback and header extensions the bridge negotiates, per media kind. Offers
 * use these payload types and extension ids as they are; answers match them against the offer
 * and keep the offer's numbers. Payload types follow Chromium's own (Opus 111, VP8 96 with RTX
 * 97), so a stream forwarded between two Chromium endpoints needs no payload type rewriting.
 *
 * @param codecs per kind, in preference order, RTX entries included
 */
public record CodecPolicy(Map<MediaType, List<RtpCodec>> codecs, Map<MediaType, List<Extmap>> extensions) {

    public CodecPolicy {
        codecs = copy(codecs);
        extensions = copy(extensions);
    }

    /** Opus, VP8 with RTX, optionally constrained-baseline H.264 with RTX; Chromium's feedback and extensions. */
    public static CodecPolicy standard(boolean withH264) {
        List<RtcpFeedback> videoFeedback = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        Map<String, String> opusParameters = new LinkedHashMap<>();
        opusParameters.put("minptime", "10");
        opusParameters.put("useinbandfec", "1");
        List<RtpCodec> audio = List.of(
                new RtpCodec(111, "opus", 48000, 2, opusParameters, List.of(RtcpFeedback.TRANSPORT_CC)));
        List<RtpCodec> video = new ArrayList<>(List.of(
                new RtpCodec(96, "VP8", 90000, 1, Map.of(), videoFeedback),
                new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())));
        if (withH264) {
            Map<String, String> h264 = new LinkedHashMap<>();
            h264.put("level-asymmetry-allowed", "1");
            h264.put("packetization-mode", "1");
            h264.put("profile-level-id", "42e01f");
            video.add(new RtpCodec(102, "H264", 90000, 1, h264, videoFeedback));
            video.add(new RtpCodec(103, "rtx", 90000, 1, Map.of("apt", "102"), List.of()));
        }
        List<Extmap> audioExtensions = List.of(
                new Extmap(1, Extmap.AUDIO_LEVEL),
                new Extmap(2, Extmap.ABS_SEND_TIME),
                new Extmap(3, Extmap.TRANSPORT_WIDE_CC),
                new Extmap(4, Extmap.MID));
        List<Extmap> videoExtensions = List.of(
                new Extmap(2, Extmap.ABS_SEND_TIME),
                new Extmap(3, Extmap.TRANSPORT_WIDE_CC),
                new Extmap(4, Extmap.MID));
        return new CodecPolicy(Map.of(MediaType.AUDIO, audio, MediaType.VIDEO, video),
                Map.of(MediaType.AUDIO, audioExtensions, MediaType.VIDEO, videoExtensions));
    }

    public List<RtpCodec> codecs(MediaType kind) {
        return codecs.getOrDefault(kind, List.of());
    }

    public List<Extmap> extensions(MediaType kind) {
        return extensions.getOrDefault(kind, List.of());
    }

    /** The supported (non-RTX) codec an offered codec can be received as, if any. */
    public Optional<RtpCodec> match(MediaType kind, RtpCodec offered) {
        return codecs(kind).stream()
                .filter(c -> !c.isRtx() && c.sameEncoding(offered) && compatibleParameters(c, offered))
                .findFirst();
    }

    /**
     * H.264 streams only pass through an SFU unchanged when packetization mode and profile agree
     * (RFC 6184 section 8.2.2). The profile check is coarse: the profile_idc byte of
     * profile-level-id, ignoring constraint flags and level.
     */
    private static boolean compatibleParameters(RtpCodec supported, RtpCodec offered) {
        if (!supported.name().equalsIgnoreCase("H264")) {
            return true;
        }
        String supportedMode = supported.parameters().getOrDefault("packetization-mode", "0");
        String offeredMode = offered.parameters().getOrDefault("packetization-mode", "0");
        String supportedProfile = supported.parameters().getOrDefault("profile-level-id", "42001f");
        String offeredProfile = offered.parameters().getOrDefault("profile-level-id", "42001f");
        return supportedMode.equals(offeredMode) && offeredProfile.length() == 6
                && supportedProfile.substring(0, 2).equalsIgnoreCase(offeredProfile.substring(0, 2));
    }

    private static <T> Map<MediaType, List<T>> copy(Map<MediaType, List<T>> map) {
        Map<MediaType, List<T>> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }
}
