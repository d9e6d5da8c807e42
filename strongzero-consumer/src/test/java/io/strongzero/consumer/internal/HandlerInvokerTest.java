package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerInvokerTest {

    private final List<Message<String>> handled = new ArrayList<>();
    private final Map<String, HandlerInvoker.Registration<?>> handlers = new LinkedHashMap<>();
    private final HandlerContext context = DeliveryContext.auto(Messages.json(1, "t", "x"), 1, null, null, null);

    HandlerInvokerTest() {
        HandlerInvoker.register(handlers, "greeting", String.class, (m, ctx) -> handled.add(m));
        HandlerInvoker.register(handlers, "broken", String.class, (m, ctx) -> {
            throw new IllegalStateException("handler failed");
        });
    }

    private HandlerInvoker invoker(UnknownTypePolicy policy) {
        return new HandlerInvoker("c", handlers, Map.of(PayloadCodec.JSON, PayloadCodec.json()), policy,
                StrongZeroMetrics.NONE, Ticker.system());
    }

    @Test
    void prepareCodecsPreparesEveryCodecForEveryHandlersPayloadClass() {
        List<String> prepared = new ArrayList<>();
        PayloadCodec recording = new PayloadCodec() {
            @Override
            public String contentType() {
                return "recording";
            }

            @Override
            public byte[] encode(Object payload) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> T decode(byte[] bytes, Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void prepare(Class<?> type) {
                prepared.add(type.getSimpleName());
            }
        };
        HandlerInvoker.register(handlers, "number", Integer.class, (m, ctx) -> { });
        new HandlerInvoker("c", handlers, Map.of("recording", recording), UnknownTypePolicy.FAIL, StrongZeroMetrics.NONE,
                Ticker.system()).prepareCodecs();
        assertEquals(List.of("Integer", "String", "String"), prepared.stream().sorted().toList());
    }

    @Test
    void decodesThePayloadAndCallsTheHandlerOfItsType() {
        Envelope e = Messages.json(3, "greeting", "hello");
        assertInstanceOf(HandlerInvoker.Handled.class, invoker(UnknownTypePolicy.FAIL).invoke("p", e, context));
        Message<String> m = handled.get(0);
        assertEquals("hello", m.payload());
        assertEquals("p", m.producer());
        assertEquals(3, m.position());
        assertEquals(e.id(), m.id());
    }

    @Test
    void aHandlersExceptionIsAFailedValue() {
        HandlerInvoker.Failed f = assertInstanceOf(HandlerInvoker.Failed.class,
                invoker(UnknownTypePolicy.FAIL).invoke("p", Messages.json(3, "broken", "x"), context));
        assertEquals("handler failed", f.cause().getMessage());
    }

    @Test
    void anUnknownTypeFailsUnderFailAndIsSkippedUnderSkip() {
        Envelope e = Messages.json(3, "nobody", "x");
        HandlerInvoker.Failed f = assertInstanceOf(HandlerInvoker.Failed.class,
                invoker(UnknownTypePolicy.FAIL).invoke("p", e, context));
        assertTrue(f.cause().getMessage().contains("no handler for message type 'nobody'"), f.cause().getMessage());
        assertInstanceOf(HandlerInvoker.Skipped.class, invoker(UnknownTypePolicy.SKIP).invoke("p", e, context));
    }

    @Test
    void aRedactedMessageIsSkippedWithoutItsHandler() {
        Envelope e = Protocol.redacted(Messages.json(3, "greeting", "secret"));
        assertInstanceOf(HandlerInvoker.Skipped.class, invoker(UnknownTypePolicy.FAIL).invoke("p", e, context));
        assertTrue(handled.isEmpty());
    }

    @Test
    void aContentTypeWithoutCodecIsNotRetryable() {
        Envelope e = new Envelope(3, Messages.json(3, "greeting", "x").id(), "greeting", "msgpack", new byte[] {1},
                Messages.PRODUCED_AT);
        HandlerInvoker.Failed f = assertInstanceOf(HandlerInvoker.Failed.class,
                invoker(UnknownTypePolicy.FAIL).invoke("p", e, context));
        assertInstanceOf(NonRetryableException.class, f.cause());
    }

    @Test
    void registrationRefusesBadAndDuplicateTypes() {
        StrongZeroConfigException dup = assertThrows(StrongZeroConfigException.class,
                () -> HandlerInvoker.register(handlers, "greeting", String.class, (m, c) -> { }));
        assertEquals("a handler for type 'greeting' is already registered", dup.getMessage());
        assertThrows(StrongZeroConfigException.class, () -> HandlerInvoker.register(handlers, "", String.class, (m, c) -> { }));
        assertEquals(2, handlers.size());
    }
}
