/**
 * The bridge's UDP I/O on Netty: one port, batched receive (recvmmsg on Linux's epoll) and batched send
 * (everything written during one event-loop pass leaves in one flush, sendmmsg), pooled direct buffers.
 * {@link io.livedesk.media.io.MediaSocket} is the socket; what a datagram means (STUN, DTLS, SRTP) is its
 * {@link io.livedesk.media.io.DatagramHandler}'s business.
 */
package io.livedesk.media.io;
