package io.strongzero.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ArgsTest {

    @Test
    void optionsMayStandAnywhereInEitherForm() {
        Args a = Args.parse(new String[] {"--jdbc", "jdbc:h2:mem:x", "dlq", "--consumer=members", "list", "--json"});
        assertEquals(List.of("dlq", "list"), a.words);
        assertEquals("jdbc:h2:mem:x", a.get("jdbc"));
        assertEquals("members", a.get("consumer"));
        assertTrue(a.has("json"));
    }

    @Test
    void doubleDashEndsTheOptionsSoAReasonMayLookLikeOne() {
        Args a = Args.parse(new String[] {"dlq", "discard", "--reason", "--not-an-option", "--", "--json"});
        assertEquals("--not-an-option", a.get("reason"), "a value is taken as it is");
        assertEquals(List.of("dlq", "discard", "--json"), a.words);
    }

    @Test
    void anOptionTheCommandDoesNotTakeIsRefusedNamingTheCommandAndTheOption() {
        UsageException e = assertThrows(UsageException.class, () -> Args.parse(new String[] {"status", "--reason", "x"}));
        assertEquals("status does not take --reason", e.getMessage());
        assertEquals("status", e.command);
        Args ok = Args.parse(new String[] {"status", "--json", "--verbose"});
        assertEquals("status", ok.command);
        assertTrue(ok.has("json") && ok.has("verbose"));
    }
}
