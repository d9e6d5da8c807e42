package io.strongzero.consumer.internal;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Protocol;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the handler registered for a message's type: skips redacted messages and (under
 * {@link UnknownTypePolicy#SKIP}) unknown types, decodes the payload with the codec of its content type, and reports
 * what happened as an {@link Invocation} value; a handler's exception becomes {@link Failed}. Immutable;
 * thread-safe. Internal API.
 */
public final class HandlerInvoker {

    private static final Logger log = LoggerFactory.getLogger(HandlerInvoker.class);

    /** A handler with the class its payloads decode to. */
    public record Registration<T>(Class<T> type, MessageHandler<T> handler) {
    }

    /** What became of a message. */
    sealed interface Invocation permits Handled, Skipped, Failed {
    }

    /** The handler ran and returned. */
    record Handled() implements Invocation {
    }

    /** Nothing ran: the message was redacted for this consumer, or its type is unknown under SKIP. */
    record Skipped() implements Invocation {
    }

    /** The handler threw, or the message could not be handled (unknown type under FAIL, no codec, bad payload). */
    record Failed(Throwable cause) implements Invocation {
    }

    private static final Handled HANDLED = new Handled();
    private static final Skipped SKIPPED = new Skipped();

    private final String consumer;
    private final Map<String, Registration<?>> handlers;
    private final Map<String, PayloadCodec> codecs;
    private final UnknownTypePolicy unknownTypePolicy;
    private final StrongZeroMetrics metrics;
    private final Ticker ticker;

    /** The invoker of consumer {@code consumer} over its handlers (by type) and codecs (by content type). */
    public HandlerInvoker(String consumer, Map<String, Registration<?>> handlers, Map<String, PayloadCodec> codecs,
                          UnknownTypePolicy unknownTypePolicy, StrongZeroMetrics metrics, Ticker ticker) {
        this.consumer = consumer;
        this.handlers = Map.copyOf(handlers);
        this.codecs = Map.copyOf(codecs);
        this.unknownTypePolicy = unknownTypePolicy;
        this.metrics = metrics;
        this.ticker = ticker;
    }

    /**
     * Adds {@code handler} for {@code type} (1 to 255 characters, one handler per type) to {@code handlers}.
     *
     * @throws StrongZeroConfigException if the type is invalid or already has a handler
     */
    public static <T> void register(Map<String, Registration<?>> handlers, String type, Class<T> payloadType,
                                    MessageHandler<T> handler) {
        Checks.valid(type != null && !type.isEmpty() && type.length() <= 255,
                "handler type must be 1 to 255 characters but was '" + type + "'");
        Checks.valid(!handlers.containsKey(type),
                "a handler for type '" + type + "' is already registered");
        handlers.put(type, new Registration<>(Objects.requireNonNull(payloadType, "payloadType"),
                Objects.requireNonNull(handler, "handler")));
    }

    /** The codecs every consumer starts with, by content type: MessagePack and JSON (a mutable copy). */
    public static Map<String, PayloadCodec> defaultCodecs() {
        Map<String, PayloadCodec> codecs = new LinkedHashMap<>();
        for (PayloadCodec c : List.of(PayloadCodec.msgpack(), PayloadCodec.json())) {
            codecs.put(c.contentType(), c);
        }
        return codecs;
    }

    /** The message types with a handler. */
    public java.util.Set<String> types() {
        return handlers.keySet();
    }

    /**
     * Prepares every codec for every handler's payload class ({@link PayloadCodec#prepare}), so that the first message
     * of a type is not slowed by building its decoder (17-23 ms measured for a record with Jackson's MessagePack).
     */
    public void prepareCodecs() {
        for (Registration<?> reg : handlers.values()) {
            for (PayloadCodec codec : codecs.values()) {
                codec.prepare(reg.type());
            }
        }
    }

    /** Runs the handler of {@code e} (from {@code producer}) with {@code context}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Invocation invoke(String producer, Envelope e, HandlerContext context) {
        if (Protocol.isRedacted(e)) {
            return SKIPPED; // the producer withheld it from this consumer's key: skip it, the offset moves past it
        }
        Registration reg = handlers.get(e.type());
        if (reg == null) {
            if (unknownTypePolicy == UnknownTypePolicy.SKIP) {
                log.warn("strongzero-consumer[{}]: skipping message {} (producer {}, position {}) of unknown type '{}'"
                        + " (unknownTypePolicy SKIP)", consumer, e.id(), producer, e.position(), e.type());
                return SKIPPED;
            }
            return new Failed(new StrongZeroException("no handler for message type '" + e.type()
                    + "' (message " + e.id() + ", producer " + producer + ", position " + e.position()
                    + "): register one, or set unknownTypePolicy(SKIP) to skip such messages"));
        }
        PayloadCodec codec = codecs.get(e.contentType());
        if (codec == null) {
            return new Failed(new NonRetryableException("message " + e.id() + " has content type '"
                    + e.contentType() + "' and this consumer has no codec for it; register one with codec(...)"));
        }
        try {
            Object payload = codec.decode(e.payload(), reg.type());
            long t0 = ticker.nanos();
            reg.handler().handle(new DecodedMessage<>(e, producer, payload), context);
            metrics.handled(consumer, producer, e.type(), ticker.nanos() - t0);
            return HANDLED;
        } catch (Exception x) {
            return new Failed(x);
        }
    }

    /** A message with its payload decoded, as handlers see it. */
    private record DecodedMessage<T>(Envelope e, String producer, T payload) implements Message<T> {
        @Override
        public FlakeId id() {
            return e.id();
        }

        @Override
        public long position() {
            return e.position();
        }

        @Override
        public String type() {
            return e.type();
        }

        @Override
        public Instant producedAt() {
            return Instant.ofEpochMilli(e.producedAt());
        }

        @Override
        public byte[] payloadBytes() {
            return e.payload();
        }

        @Override
        public String contentType() {
            return e.contentType();
        }

        @Override
        public Optional<String> key() {
            return Optional.ofNullable(e.key());
        }

        @Override
        public Map<String, String> headers() {
            return e.headers().asMap();
        }

        @Override
        public String toString() {
            return "Message[" + producer + "#" + e.position() + ", id=" + e.id() + ", type=" + e.type() + "]";
        }
    }
}
