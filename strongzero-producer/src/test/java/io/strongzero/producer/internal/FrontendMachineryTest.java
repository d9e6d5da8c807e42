package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.Protocol;
import io.strongzero.producer.ProducerSecurity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrontendMachineryTest {

    private final CurvePublicKey all = CurveKeyPair.generate().publicKey();
    private final CurvePublicKey some = CurveKeyPair.generate().publicKey();
    private final ZapHandler zap = new ZapHandler("users", ProducerSecurity.builder().keyPair(CurveKeyPair.generate())
            .allow(all).allow(some, Set.of("user.created")).build());

    @Test
    void zapAdmitsAllowListedKeysWithTheirKeyAsUserIdAndRefusesOthers() {
        List<byte[]> ok = zap.reply(request("CURVE", all.bytes()));
        assertEquals("200", text(ok.get(2)));
        assertEquals(all.z85(), text(ok.get(4)));
        assertEquals("7", text(ok.get(1)), "the request id is echoed");
        assertEquals(6, ok.size());
        assertSame(AccessGrant.ALL, zap.grantFor(all.z85()));
        assertTrue(zap.grantFor(some.z85()).permits("user.created"));
        assertFalse(zap.grantFor(some.z85()).permits("user.deleted"));
        assertNull(zap.grantFor(CurveKeyPair.generate().publicKey().z85()));
        assertNull(zap.grantFor(null));
        assertEquals(0, zap.deniedCount());

        List<byte[]> stranger = zap.reply(request("CURVE", CurveKeyPair.generate().publicKey().bytes()));
        assertEquals("400", text(stranger.get(2)));
        assertEquals("", text(stranger.get(4)));
        assertEquals("400", text(zap.reply(request("NULL", null)).get(2)));
        assertEquals("400", text(zap.reply(request("CURVE", new byte[31])).get(2)));
        List<byte[]> garbage = new ArrayList<>(request("CURVE", all.bytes()));
        garbage.set(0, "2.0".getBytes(StandardCharsets.UTF_8));
        assertEquals("500", text(zap.reply(garbage).get(2)));
        assertEquals("500", text(zap.reply(List.of(new byte[] {1})).get(2)));
        assertEquals(5, zap.deniedCount());
    }

    @Test
    void grantRedactsTheTypesItDoesNotPermit() {
        Envelope created = new Envelope(1, FlakeId.of(1, 1, 1), "user.created", "json", new byte[] {1}, 1);
        Envelope deleted = new Envelope(2, FlakeId.of(1, 1, 2), "user.deleted", "json", new byte[] {1}, 1);
        AccessGrant grant = AccessGrant.of(Set.of("user.created"), null);
        assertSame(created, grant.filter(created));
        assertEquals(Protocol.redacted(deleted), grant.filter(deleted));
        assertSame(deleted, AccessGrant.ALL.filter(deleted));
    }

    @Test
    void routeIsEverythingUpToTheFirstEmptyFrameAfterTheRoutingId() {
        byte[] id = {0, 1, 2};
        byte[] header = Protocol.header(Protocol.CMD_PULL);
        IncomingRequest direct = IncomingRequest.of(List.of(id, new byte[0], header, new byte[] {9}), null);
        assertTrue(direct.hasDelimiter());
        assertEquals(2, direct.route().frames().size());
        assertEquals(2, direct.protocolFrames().size());
        assertArrayEquals(header, direct.protocolFrames().get(0));

        IncomingRequest proxied = IncomingRequest.of(List.of(id, new byte[] {5}, new byte[0], header, new byte[] {9}), "k");
        assertEquals(3, proxied.route().frames().size());
        assertEquals(2, proxied.protocolFrames().size());
        assertEquals("k", proxied.userId());
        assertNotEquals(direct.route(), proxied.route());
        assertEquals(direct.route(), IncomingRequest.of(List.of(id.clone(), new byte[0]), null).route());
        assertEquals(direct.route().hashCode(), IncomingRequest.of(List.of(id.clone(), new byte[0]), null).route().hashCode());
        assertEquals(4, direct.route().with(List.of(header, header)).size());

        // An empty routing id is not a delimiter; a message without one is answered on [routing id][empty].
        assertFalse(IncomingRequest.of(List.of(new byte[0], header, new byte[] {9}), null).hasDelimiter());
        IncomingRequest bare = IncomingRequest.of(List.of(id, header, new byte[] {9}), null);
        assertFalse(bare.hasDelimiter());
        assertEquals(direct.route(), bare.route());
        assertEquals(List.of(), bare.protocolFrames());
    }

    @Test
    void parkingLotBoundsPullsInAllAndPerConnectionAndReplacesARoutesEarlierPull() {
        ParkingLot<String> lot = new ParkingLot<>(5, 2);
        byte[] a = {1};
        byte[] b = {2};
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(a), "a1"));
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(a), "a1'"));
        assertEquals(1, lot.size());
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(a, 7), "a7"));
        assertEquals(ParkingLot.Admission.CONNECTION_FULL, lot.park(route(a, 8), "a8"));
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(a, 7), "a7'"), "replacing is always allowed");
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(b), "b1"));
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(b, 1), "b2"));
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(new byte[] {3}), "c"));
        assertEquals(ParkingLot.Admission.FULL, lot.park(route(new byte[] {4}), "d"));
        List<String> seen = new ArrayList<>();
        for (java.util.Iterator<String> it = lot.iterator(); it.hasNext(); ) {
            String v = it.next();
            seen.add(v);
            if (v.startsWith("a")) {
                it.remove();
            }
        }
        assertEquals(List.of("a1'", "a7'", "b1", "b2", "c"), seen);
        assertEquals(3, lot.size());
        assertEquals(2, lot.connections());
        assertEquals(ParkingLot.Admission.PARKED, lot.park(route(a, 9), "a9"), "a's slots are free again");
    }

    @Test
    void connectionQuotaBoundsEachConnectionSeparately() {
        ConnectionQuota quota = new ConnectionQuota(2);
        byte[] a = {1};
        assertTrue(quota.tryAcquire(a));
        assertTrue(quota.tryAcquire(new byte[] {1}), "connections compare by content");
        assertFalse(quota.tryAcquire(a));
        assertTrue(quota.tryAcquire(new byte[] {2}));
        assertEquals(2, quota.connections());
        quota.release(a);
        assertTrue(quota.tryAcquire(a));
        quota.release(a);
        quota.release(a);
        quota.release(a);   // releasing more than held is harmless
        assertEquals(1, quota.connections());
        assertEquals(2, quota.limit());
    }

    private static IncomingRequest.Route route(byte[] connection, int... routing) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(connection);
        for (int r : routing) {
            frames.add(new byte[] {(byte) r});
        }
        frames.add(new byte[0]);
        return IncomingRequest.of(frames, null).route();
    }

    private static List<byte[]> request(String mechanism, byte[] key) {
        List<byte[]> r = new ArrayList<>(List.of(bytes("1.0"), bytes("7"), bytes("strongzero"), bytes("10.0.0.9"),
                new byte[0], bytes(mechanism)));
        if (key != null) {
            r.add(key);
        }
        return r;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
