package io.livedesk.media.transport;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp works on a {@link ByteArrayBuffer} but jitsi-utils ships only the interface.
 * This is a plain view of a byte array region. {@link #grow} reallocates when the region
 * cannot take more bytes, because SRTP protection appends the 10-byte auth tag (and SRTCP
 * the 4-byte index too).
 */
public final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Copies {@code len} bytes into this buffer's own array at 0 (growing it when too small, which a buffer kept
     * per thread does once), for protecting without allocating.
     */
    public PacketBuffer reuseFor(byte[] src, int off, int len, int spare) {
        if (buffer.length < len + spare) {
            buffer = new byte[len + spare];
        }
        System.arraycopy(src, off, buffer, 0, len);
        offset = 0;
        length = len;
        return this;
    }

    /**
     * Empties this buffer for writing a packet of up to {@code capacity} bytes at 0 into its array (growing it when
     * too small, which a buffer kept per thread does once).
     */
    public PacketBuffer clearFor(int capacity) {
        if (buffer.length < capacity) {
            buffer = new byte[capacity];
        }
        offset = 0;
        length = 0;
        return this;
    }

    /** A copy of {@code len} bytes with {@code spare} free bytes after them, for protecting. */
    public static PacketBuffer copyOf(byte[] src, int off, int len, int spare) {
        byte[] copy = new byte[len + spare];
        System.arraycopy(src, off, copy, 0, len);
        return new PacketBuffer(copy, 0, len);
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    /** Makes room for {@code howMuch} more bytes after the current data; length is unchanged. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("grow by " + howMuch);
        }
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[length + howMuch];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
