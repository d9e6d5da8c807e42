package io.strongzero.core.internal;

import io.strongzero.core.StrongZeroConfigException;
import java.time.Duration;

/**
 * The range and name checks every builder makes, with one wording: "{@code <option> must be between
 * <min> and <max> but was <value>}". Internal API.
 */
public final class Checks {
    private Checks() {
    }

    /** {@code value} if it is {@code min..max}, else a {@link StrongZeroConfigException} naming the option. */
    public static int between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new StrongZeroConfigException(option + " must be between " + min + " and " + max + " but was " + value);
        }
        return value;
    }

    /** As {@link #between(String, int, int, int)}, for longs. */
    public static long between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new StrongZeroConfigException(option + " must be between " + min + " and " + max + " but was " + value);
        }
        return value;
    }

    /**
     * {@code value} if it is not null and {@code minMillis..maxMillis}, else a {@link StrongZeroConfigException}
     * naming the option and the range as written for people ({@code minText}, {@code maxText}).
     */
    public static Duration between(String option, Duration value, long minMillis, long maxMillis, String minText,
                                   String maxText) {
        if (value == null || value.toMillis() < minMillis || value.toMillis() > maxMillis) {
            throw new StrongZeroConfigException(option + " must be between " + minText + " and " + maxText + " but was "
                    + value);
        }
        return value;
    }

    /**
     * {@code value} if it is a ZeroMQ endpoint StrongZero can use ({@code tcp://}, {@code ipc://} or
     * {@code inproc://}), else a {@link StrongZeroConfigException} naming the option.
     */
    public static String endpoint(String option, String value) {
        if (value == null || !(value.startsWith("tcp://") || value.startsWith("ipc://") || value.startsWith("inproc://"))) {
            throw new StrongZeroConfigException(option + " must start with tcp://, ipc:// or inproc:// but was '" + value + "'");
        }
        return value;
    }

    /** {@code value} if it is a valid producer or consumer name ({@link Protocol#nameRule()}). */
    public static String name(String option, String value) {
        if (!Protocol.isValidName(value)) {
            throw new StrongZeroConfigException(option + " must be " + Protocol.nameRule() + " but was '" + value + "'");
        }
        return value;
    }
}
