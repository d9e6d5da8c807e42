package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Secrets;
import org.junit.jupiter.api.Test;

/** The public homes of the name rule and of credential redaction, and the internals that delegate to them. */
class NamesAndRedactionTest {

    @Test
    void namesFollowTheDocumentedRuleAndTheProtocolChecksTheSameRule() {
        for (String ok : new String[] {"orders", "0rders.v2_eu-west:1", "x".repeat(128)}) {
            assertTrue(Names.isValid(ok), ok);
            assertTrue(Protocol.isValidName(ok), ok);
        }
        for (String bad : new String[] {null, "", "x".repeat(129), ".hidden", "-x", "a b", "a/b", "ä"}) {
            assertFalse(Names.isValid(bad), bad);
            assertFalse(Protocol.isValidName(bad), bad);
        }
        assertEquals("1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', starting with a letter or digit",
                Names.rule());
        assertEquals(Names.rule(), Protocol.nameRule());
    }

    @Test
    void redactionHidesPasswordsInUrlsAndDriverMessagesAsTheInternalHelperDoes() {
        String[][] cases = {
            {"jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true", "jdbc:postgresql://db/app?user=app&password=***&ssl=true"},
            {"jdbc:mysql://app:hunter2@db:3306/app", "jdbc:mysql://app:***@db:3306/app"},
            {"(pwd=hunter2)", "(pwd=***)"},
            {"secret-key: abc", "secret-key: ***"},
            {"no credentials here: user 'app' at db:5432", "no credentials here: user 'app' at db:5432"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Redaction.redact(c[0]), c[0]);
            assertEquals(c[1], Secrets.redact(c[0]), c[0]);
        }
        assertNull(Redaction.redact(null));
    }
}
