package io.strongzero.pump.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadNotificationsTest {

    @Test
    void theHighestHeadOfTheListenersOwnTableIsTakenFromThePayloads() {
        assertEquals(12, HeadNotifications.highestHead(List.of("1234:7", "1234:12", "1234:9"), "1234"));
        assertEquals(-1, HeadNotifications.highestHead(List.of(), "1234"), "none came");
    }

    @Test
    void notificationsOfAnotherTableOnTheSharedChannelAreIgnored() {
        assertEquals(-1, HeadNotifications.highestHead(List.of("999:50", "12345:60", "123:70"), "1234"));
        assertEquals(5, HeadNotifications.highestHead(List.of("999:50", "1234:5"), "1234"));
    }

    @Test
    void aPayloadThatIsNotUnderstoodMakesTheListenerReadTheHead() {
        assertEquals(HeadNotifications.UNKNOWN, HeadNotifications.highestHead(List.of("1234:5", "42"), "1234"));
        assertEquals(HeadNotifications.UNKNOWN, HeadNotifications.highestHead(List.of("1234:x"), "1234"));
        assertEquals(HeadNotifications.UNKNOWN, HeadNotifications.highestHead(java.util.Arrays.asList((String) null), "1234"));
    }
}
