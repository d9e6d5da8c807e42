package io.strongzero.core.internal;

import io.strongzero.core.StrongZeroConfigException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one checking helper of every builder and configuration: each check names the option, the rule and the
 * value it refused ("{@code <option> must be between <min> and <max> but was <value>}") in a
 * {@link StrongZeroConfigException}, and returns the value it accepted. Internal API.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * {@code value} if {@code ok}, else a {@link StrongZeroConfigException} "{@code <option> must <rule> but was
     * <value>}": the general form of every check here.
     */
    public static <T> T require(boolean ok, String option, T value, String rule) {
        if (!ok) {
            throw new StrongZeroConfigException(option + " must " + rule + " but was " + value);
        }
        return value;
    }

    /**
     * A check of several options together (a conflicting pair, a missing one of two, a repeated entry), whose
     * {@code message} names the options, the values and the rule: a {@link StrongZeroConfigException} with it unless
     * {@code ok}.
     */
    public static void valid(boolean ok, String message) {
        if (!ok) {
            throw new StrongZeroConfigException(message);
        }
    }

    /** As {@link #valid(boolean, String)}, with the message made only when the check fails. */
    public static void valid(boolean ok, Supplier<String> message) {
        if (!ok) {
            throw new StrongZeroConfigException(message.get());
        }
    }

    /** {@code value} if it is not null, else a {@link StrongZeroConfigException} naming the option. */
    public static <T> T notNull(String option, T value) {
        if (value == null) {
            throw new StrongZeroConfigException(option + " must not be null");
        }
        return value;
    }

    /**
     * {@code value} if it was set, else a {@link StrongZeroConfigException} "{@code <option> is required: <what>}",
     * for a required option checked when the builder builds.
     */
    public static <T> T required(String option, T value, String what) {
        if (value == null) {
            throw new StrongZeroConfigException(option + " is required: " + what);
        }
        return value;
    }

    /** {@code value} if it is at least {@code min}. */
    public static int atLeast(String option, int value, int min) {
        return require(value >= min, option, value, "be at least " + min);
    }

    /** {@code value} if it is at least {@code min}. */
    public static long atLeast(String option, long value, long min) {
        return require(value >= min, option, value, "be at least " + min);
    }

    /** {@code value} if it is {@code min..max} (and a number). */
    public static double between(String option, double value, double min, double max) {
        return require(value >= min && value <= max, option, value, "be between " + min + " and " + max);
    }

    /**
     * Checks a backoff's {@code base} and {@code cap}: {@code 1 ms <= base <= cap <= 24 h}, one message naming both
     * ("{@code <option> must be 1 ms <= base <= cap <= 24 h but was base <base>, cap <cap>}").
     */
    public static void backoff(String option, Duration base, Duration cap) {
        require(base != null && cap != null && base.toMillis() >= 1 && cap.compareTo(base) >= 0
                && cap.compareTo(Duration.ofHours(24)) <= 0, option, "base " + base + ", cap " + cap,
                "be 1 ms <= base <= cap <= 24 h");
    }

    /** {@code value} if it is not null and longer than zero. */
    public static Duration positive(String option, Duration value) {
        return require(value != null && !value.isNegative() && !value.isZero(), option, value, "be positive");
    }

    /** {@code value} if it is not null and not negative. */
    public static Duration notNegative(String option, Duration value) {
        return require(value != null && !value.isNegative(), option, value, "not be negative");
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
