package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import io.strongzero.producer.ProducerSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestCheckTest {

    private final RequestCheck plaintext = new RequestCheck("users", null);

    private static RequestCheck.Refusal refused(RequestCheck check, IncomingRequest in) {
        return assertInstanceOf(RequestCheck.Refusal.class, check.check(in));
    }

    @Test
    void aValidPullBecomesAPullCommandThatPlaintextServesEverything() {
        Protocol.PullRequest r = Requests.pull(5, 1000, "members");
        RequestCheck.Pull pull = assertInstanceOf(RequestCheck.Pull.class,
                plaintext.check(Requests.incoming(Requests.CONNECTION, r, null)));
        assertEquals(r, pull.request());
        assertSame(AccessGrant.ALL, pull.grant());
        assertFalse(pull.vouched(), "plaintext vouches for no consumer name");
        assertEquals(2, pull.route().frames().size());
    }

    @Test
    void malformedRequestsAreRefusedWithTheRuleTheyBreakAndTheRequestIdWhenReadable() {
        byte[] body = Protocol.encodePull(Requests.pull(5, 0, "members"));
        List<byte[]> tooMany = new ArrayList<>(List.of(Requests.CONNECTION, new byte[0]));
        for (int i = 0; i < 8; i++) {
            tooMany.add(new byte[] {1});
        }
        RequestCheck.Refusal r = refused(plaintext, IncomingRequest.of(tooMany, null));
        assertEquals(ErrorCode.MALFORMED_REQUEST, r.code());
        assertEquals("MALFORMED_REQUEST: a request has at most 8 frames but had 10", r.message(),
                "the message as the ERROR reply has always carried it");

        r = refused(plaintext, IncomingRequest.of(List.of(Requests.CONNECTION, Protocol.header(Protocol.CMD_PULL), body), null));
        assertTrue(r.message().endsWith("a request is [empty delimiter][header][body] but had 2 frames without the empty "
                + "delimiter"), r.message());

        r = refused(plaintext, IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0],
                Protocol.header(Protocol.CMD_BATCH), body), null));
        assertEquals(ErrorCode.UNKNOWN_COMMAND, r.code());
        assertEquals(7, r.requestId());

        r = refused(plaintext, IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0],
                Protocol.header(Protocol.CMD_PULL), body, body), null));
        assertTrue(r.message().endsWith("PULL has exactly one body frame but had 2"), r.message());
    }

    @Test
    void aPullForAnotherProducerIsRefusedNamingBoth() {
        RequestCheck.Refusal r = refused(new RequestCheck("orders", null),
                Requests.incoming(Requests.CONNECTION, Requests.pull(0, 0, "members"), null));
        assertEquals(ErrorCode.WRONG_PRODUCER, r.code());
        assertTrue(r.message().contains("this endpoint serves producer 'orders', not 'users'"), r.message());
    }

    @Test
    void underCurveAKeyMayPullOnlyAsTheConsumersItIsBoundToAndAnUnknownKeyIsRefused() {
        CurvePublicKey bound = CurveKeyPair.generate().publicKey();
        CurvePublicKey free = CurveKeyPair.generate().publicKey();
        RequestCheck curve = new RequestCheck("users", new ZapHandler("users", ProducerSecurity.builder()
                .keyPair(CurveKeyPair.generate()).allow(bound).allow(free).consumerNames(bound, Set.of("members"))
                .build()));
        RequestCheck.Pull ok = assertInstanceOf(RequestCheck.Pull.class,
                curve.check(Requests.incoming(Requests.CONNECTION, Requests.pull(0, 0, "members"), bound.z85())));
        assertTrue(ok.vouched(), "a key bound to the name vouches for it");
        assertFalse(assertInstanceOf(RequestCheck.Pull.class,
                curve.check(Requests.incoming(Requests.CONNECTION, Requests.pull(0, 0, "anyone"), free.z85()))).vouched());

        RequestCheck.Refusal other = refused(curve, Requests.incoming(Requests.CONNECTION, Requests.pull(0, 0, "billing"),
                bound.z85()));
        assertEquals(ErrorCode.NOT_AUTHORIZED, other.code());
        assertTrue(other.message().contains("this connection's key may pull only as consumer members, not 'billing'"),
                other.message());

        assertEquals(ErrorCode.INTERNAL, refused(curve, Requests.incoming(Requests.CONNECTION, Requests.pull(0, 0, "members"),
                CurveKeyPair.generate().publicKey().z85())).code());
    }
}
