package io.strongzero.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.StrongZeroConfigException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

class ProducerSecurityTest {

    private final CurveKeyPair producer = CurveKeyPair.generate();
    private final CurvePublicKey a = CurveKeyPair.generate().publicKey();
    private final CurvePublicKey b = CurveKeyPair.generate().publicKey();

    @Test
    void keepsTheAllowListInOrderWithEachKeysTypes() {
        ProducerSecurity s = ProducerSecurity.builder().keyPair(producer).allow(a).allow(b, List.of("x", "y", "x")).build();
        assertEquals(List.of(a, b), List.copyOf(s.allowedKeys()));
        assertEquals(Optional.empty(), s.allowedTypes(a));
        assertEquals(Optional.of(Set.of("x", "y")), s.allowedTypes(b));
        assertThrows(IllegalArgumentException.class, () -> s.allowedTypes(producer.publicKey()));
        ProducerSecurity copy = s.toBuilder().allow(producer.publicKey()).build();
        assertEquals(3, copy.allowedKeys().size());
        assertEquals(2, s.allowedKeys().size());
    }

    @Test
    void refusesMissingKeyPairEmptyAllowListDuplicatesAndBadTypes() {
        assertMessage("keyPair is required", () -> ProducerSecurity.builder().allow(a).build());
        assertMessage("the allow-list is empty", () -> ProducerSecurity.builder().keyPair(producer).build());
        assertMessage("is already on the allow-list", () -> ProducerSecurity.builder().allow(a).allow(a, Set.of("x")));
        assertMessage("must not be empty", () -> ProducerSecurity.builder().allow(a, Set.of()));
        assertMessage("must be 1 to 255 characters", () -> ProducerSecurity.builder().allow(a, List.of("")));
        assertMessage("must be 1 to 255 characters", () -> ProducerSecurity.builder().allow(a, List.of("a\nb")));
        assertMessage("must be 1 to 255 characters", () -> ProducerSecurity.builder().allow(a, List.of("t".repeat(256))));
        assertThrows(NullPointerException.class, () -> ProducerSecurity.builder().allow(null));
    }

    @Test
    void bindsAllowedKeysToConsumerNamesAndLeavesOthersFree() {
        ProducerSecurity s = ProducerSecurity.builder().keyPair(producer).allow(a).allow(b)
                .consumerNames(a, List.of("members", "members-replica", "members")).build();
        assertEquals(Optional.of(Set.of("members", "members-replica")), s.allowedConsumerNames(a));
        assertEquals(Optional.empty(), s.allowedConsumerNames(b));
        assertThrows(IllegalArgumentException.class, () -> s.allowedConsumerNames(producer.publicKey()));
        assertEquals(s.allowedConsumerNames(a), s.toBuilder().build().allowedConsumerNames(a), "toBuilder keeps bindings");
        assertTrue(s.toString().contains("1 bound to consumer names"), s.toString());
    }

    @Test
    void refusesBindingUnknownKeysTwiceEmptyOrInvalidNames() {
        assertMessage("is not on the allow-list: allow(...) it before",
                () -> ProducerSecurity.builder().consumerNames(a, Set.of("members")));
        assertMessage("is already bound to consumer names",
                () -> ProducerSecurity.builder().allow(a).consumerNames(a, Set.of("x")).consumerNames(a, Set.of("y")));
        assertMessage("must not be empty", () -> ProducerSecurity.builder().allow(a).consumerNames(a, Set.of()));
        assertMessage("a consumer name bound to key " + a.z85() + " must be",
                () -> ProducerSecurity.builder().allow(a).consumerNames(a, List.of("has space")));
        assertThrows(NullPointerException.class, () -> ProducerSecurity.builder().allow(a).consumerNames(a, null));
    }

    @Test
    void toStringShowsThePublicKeyNotTheSecretOne() {
        ProducerSecurity s = ProducerSecurity.builder().keyPair(producer).allow(a).allow(b, Set.of("x")).build();
        String text = s.toString();
        assertTrue(text.contains(producer.publicKey().z85()), text);
        assertTrue(text.contains("2 allowed keys (1 restricted"), text);
        assertFalse(text.contains(ZMQ.Curve.z85Encode(producer.secretKey())), text);
    }

    @Test
    void producerBuilderRefusesANullSecurity() {
        assertThrows(NullPointerException.class, () -> StrongZeroProducer.builder().security(null));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        StrongZeroConfigException x = assertThrows(StrongZeroConfigException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
