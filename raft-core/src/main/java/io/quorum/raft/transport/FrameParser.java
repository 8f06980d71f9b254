package io.quorum.raft.transport;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into frames and decodes them, for one inbound connection. Chunks may
 * cut frames anywhere; each whole frame is decoded as soon as its last byte arrives.
 *
 * <p>A frame's length field is checked as soon as its four bytes are in, before any of the body is
 * buffered, so a forged length costs nothing; at most one frame (bounded by the codec's maximum)
 * plus one chunk is held at a time. The first malformed frame stops the parser for good: after it
 * the stream's framing cannot be trusted, so the caller closes the connection.
 *
 * <p>Vert.x's {@code RecordParser} was the alternative; it would need the length checked in a
 * mode-switching handler and offers no clean way to stop on an error, and this is as short.
 *
 * <p>Not thread-safe: one instance per connection, fed from that connection's event loop.
 */
final class FrameParser implements Handler<Buffer> {

    private final PeerCodec codec;
    private final Consumer<PeerMessage> onMessage;
    private final Consumer<CodecException> onMalformed;
    /** Bytes received but not yet decoded: the start of the next frame. Owned by the parser. */
    private Buffer pending = Buffer.buffer();
    private boolean failed;

    /**
     * @param onMessage   receives each decoded message in stream order; must not throw
     * @param onMalformed called once, with the first decoding failure; no message follows it
     */
    FrameParser(PeerCodec codec, Consumer<PeerMessage> onMessage, Consumer<CodecException> onMalformed) {
        this.codec = codec;
        this.onMessage = onMessage;
        this.onMalformed = onMalformed;
    }

    @Override
    public void handle(Buffer chunk) {
        if (failed) {
            return;
        }
        // Decode straight from the chunk when nothing is pending; the caller's buffer is only read.
        Buffer source = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
        int position = 0;
        try {
            while (source.length() - position >= 4) {
                int length = source.getInt(position);
                codec.checkLengthField(length);
                int frameEnd = position + 4 + length;
                if (source.length() < frameEnd) {
                    break;
                }
                PeerMessage message = codec.decodeBody(source, position + 4, frameEnd);
                position = frameEnd;
                onMessage.accept(message);
            }
        } catch (CodecException e) {
            failed = true;
            pending = Buffer.buffer();
            onMalformed.accept(e);
            return;
        }
        keepRemainder(source, position);
    }

    /** Whether a malformed frame has stopped this parser. */
    boolean failed() {
        return failed;
    }

    private void keepRemainder(Buffer source, int position) {
        if (position == source.length()) {
            pending = Buffer.buffer();
        } else if (source != pending || position > 0) {
            // Copy only what is left; a large frame arriving in many chunks keeps growing `pending`
            // in place (position 0) instead of being copied once per chunk.
            pending = source.getBuffer(position, source.length());
        }
    }
}
