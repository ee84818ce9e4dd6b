package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpPacket;

/**
 * Decides what happens to each RTCP packet an endpoint sends (the bridge terminates RTCP, as an SFU
 * must, and regenerates or relays only what the other side needs):
 * <ul>
 *   <li>NACK about a forwarded stream: {@link NackResponder} (cache first, then the sender);</li>
 *   <li>PLI / FIR: a keyframe request to the stream's owner via {@link KeyframeRequester};</li>
 *   <li>REMB: remembered as the endpoint's receive estimate, used by {@link BandwidthEstimator};</li>
 *   <li>transport-cc: the endpoint's report on the bridge's own transport-wide numbers of what it sent it, read into
 *       its send-side estimate ({@link SendSideFeedback}), which takes REMB's place for it;</li>
 *   <li>SR of one of the endpoint's own streams: relayed to the other endpoints (lip sync, and its
 *       report blocks let each sender see its receivers' loss and RTT); remembered for RTT;</li>
 *   <li>report blocks (in SR and RR) about forwarded streams: the endpoint's loss and RTT; an RR is
 *       relayed to the owners of the streams it reports on;</li>
 *   <li>anything else (SDES, BYE, APP, XR): consumed.</li>
 * </ul>
 * A simulcast track's receivers know only the SSRC they get their layer on: their PLI, FIR and reports about it
 * are about the layer they get now, and the layer's SR reaches them rewritten onto that SSRC and timeline. Their
 * NACKs name rewritten sequence numbers: the receiver's {@code SimulcastRewriter} maps each back to the layer and
 * original number it came from (for its last {@code SimulcastRewriter.WINDOW} packets, whichever layer each came
 * from, before or after a switch), and {@link NackResponder#answerLayers} resends it from that layer's cache
 * rewritten as it first went out, or asks the sender about the layer's own number; older numbers are not answered.
 */
final class FeedbackRouter implements RtcpStage {
    private final ConferenceRouting routing;
    private final KeyframeRequester keyframes;
    private final NackResponder nacks;

    FeedbackRouter(ConferenceRouting routing, KeyframeRequester keyframes, NackResponder nacks) {
        this.routing = routing;
        this.keyframes = keyframes;
        this.nacks = nacks;
    }

    @Override
    public void onRtcp(Endpoint from, RtcpPacket packet, long nowNanos, EndpointReceiver.Scratch scratch) {
        switch (packet.kind()) {
            case NACK -> {
                SimulcastSource simulcast = routing.simulcast(packet.mediaSsrc());
                if (simulcast != null) {
                    answerSimulcastNack(from, simulcast, packet, nowNanos, scratch);
                    return;
                }
                SenderStream stream = forwardedStream(from, packet.mediaSsrc());
                if (stream != null && stream.simulcast == null) {
                    nacks.answer(from, stream, packet, nowNanos, scratch);
                }
            }
            case PLI -> {
                SenderStream stream = forwardedStream(from, packet.mediaSsrc());
                if (stream != null) {
                    keyframes.requestPli(stream, nowNanos, scratch.packet);
                }
            }
            case FIR -> {
                for (int i = 0, n = packet.firEntryCount(); i < n; i++) {
                    SenderStream stream = forwardedStream(from, packet.firSsrc(i));
                    if (stream != null) {
                        keyframes.requestFir(stream, nowNanos, scratch.packet);
                    }
                }
            }
            case REMB -> from.remb(packet.rembBitrate(), nowNanos);
            case TRANSPORT_CC -> SendSideFeedback.read(from, packet, nowNanos, scratch.sent);
            case SENDER_REPORT -> {
                relaySenderReport(from, packet, nowNanos, scratch.packet);
                readReportBlocks(from, packet, nowNanos);
            }
            case RECEIVER_REPORT -> {
                readReportBlocks(from, packet, nowNanos);
                relayToReportedOwners(from, packet, scratch.owners);
            }
            default -> {
                // Consumed: SDES, BYE, APP, others.
            }
        }
    }

    private void answerSimulcastNack(Endpoint from, SimulcastSource simulcast, RtcpPacket nack, long nowNanos,
                                     EndpointReceiver.Scratch scratch) {
        SimulcastSource.View view = simulcast.owner == from ? null : simulcast.view(from);
        if (view == null) {
            from.counters.drop(ForwardingDrop.FEEDBACK_UNKNOWN_SSRC);
            return;
        }
        nacks.answerLayers(from, simulcast, view.rewriter, nack, nowNanos, scratch);
    }

    /** The stream another endpoint sends with this SSRC, or null (counted as a drop). */
    private SenderStream forwardedStream(Endpoint from, int ssrc) {
        SenderStream stream = reportedStream(from, ssrc);
        if (stream == null || stream.owner == from) {
            from.counters.drop(ForwardingDrop.FEEDBACK_UNKNOWN_SSRC);
            return null;
        }
        return stream;
    }

    /** What {@code from} means by an SSRC it receives: a simulcast track's means the layer it gets now. */
    private SenderStream reportedStream(Endpoint from, int ssrc) {
        SimulcastSource simulcast = routing.simulcast(ssrc);
        if (simulcast != null) {
            return simulcast.owner == from ? null : simulcast.forwardedTo(from);
        }
        return routing.stream(ssrc);
    }

    private void relaySenderReport(Endpoint from, RtcpPacket sr, long nowNanos, byte[] scratch) {
        SenderStream stream = routing.stream(sr.senderSsrc());
        if (stream == null || stream.owner != from) {
            return;
        }
        stream.senderReportForwarded(sr.srNtpTimestamp(), nowNanos);
        if (stream.simulcast != null) {
            relayLayerSenderReport(stream, sr, scratch);
            return;
        }
        for (Endpoint receiver : routing.endpoints()) {
            if (receiver.receivesFrom(from)) {
                receiver.sendRtcp(sr.buffer(), sr.offset(), sr.length());
            }
        }
    }

    /**
     * A layer's SR to each receiver that gets that layer now: its sender info only (no report blocks), on the
     * receiver's SSRC, the RTP timestamp moved as the receiver's stream is.
     */
    private void relayLayerSenderReport(SenderStream layer, RtcpPacket sr, byte[] scratch) {
        if (sr.length() < RtcpPacket.SENDER_INFO_LENGTH) {
            return;
        }
        SimulcastSource simulcast = layer.simulcast;
        for (Endpoint receiver : routing.endpoints()) {
            if (receiver.relay && receiver.receivesFrom(layer.owner)) {
                // A relay gets every layer as it came, so their SRs as they came too.
                receiver.sendRtcp(sr.buffer(), sr.offset(), sr.length());
                continue;
            }
            SimulcastSource.View view = receiver == layer.owner ? null : simulcast.view(receiver);
            if (view == null || view.rewriter.current() != layer.layer) {
                continue;
            }
            int len = sr.writeSenderInfo(scratch, simulcast.receiverSsrc, view.rewriter.timestampOffset());
            receiver.sendRtcp(scratch, 0, len);
        }
    }

    private void readReportBlocks(Endpoint from, RtcpPacket report, long nowNanos) {
        for (int i = 0, n = report.reportBlockCount(); i < n; i++) {
            SenderStream stream = reportedStream(from, report.reportSsrc(i));
            if (stream == null || stream.owner == from) {
                continue;
            }
            from.fractionLost(report.reportFractionLost(i) / 256.0);
            double rtt = stream.roundTripMs(report.reportLastSr(i), report.reportDelaySinceLastSr(i), nowNanos);
            if (rtt >= 0) {
                from.rttMs(rtt);
            }
        }
    }

    private void relayToReportedOwners(Endpoint from, RtcpPacket rr, Endpoint[] owners) {
        int distinct = 0;
        for (int i = 0, n = rr.reportBlockCount(); i < n; i++) {
            SenderStream stream = routing.stream(rr.reportSsrc(i));
            if (stream == null || stream.owner == from) {
                continue;
            }
            boolean seen = false;
            for (int k = 0; k < distinct; k++) {
                seen |= owners[k] == stream.owner;
            }
            if (!seen) {
                stream.owner.sendRtcp(rr.buffer(), rr.offset(), rr.length());
                if (distinct < owners.length) {
                    owners[distinct++] = stream.owner;
                }
            }
        }
        for (int k = 0; k < distinct; k++) {
            owners[k] = null;
        }
    }
}
