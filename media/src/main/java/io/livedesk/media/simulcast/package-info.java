/**
 * Simulcast (issue 12, part 2), the receiver side's decisions: which of a sender's layers each receiver gets
 * ({@link io.livedesk.media.simulcast.LayerSelector}) and one continuous stream out of the layers it was given
 * over time ({@link io.livedesk.media.simulcast.SimulcastRewriter}), and when to probe before a move up
 * ({@link io.livedesk.media.simulcast.Probing}).
 */
package io.livedesk.media.simulcast;
