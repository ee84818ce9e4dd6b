/**
 * The media bridge (selective forwarding unit). Calls run peer-to-peer until the bridge lands;
 * signaling keeps media negotiation behind {@code io.livedesk.signaling.call.MediaNegotiator}
 * so that the bridge can take over without changing the call flow.
 */
package io.livedesk.media;
