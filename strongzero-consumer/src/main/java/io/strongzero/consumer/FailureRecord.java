package io.strongzero.consumer;

import java.time.Instant;

/**
 * One failed attempt to apply a message, as kept in the dead-letter table's error history.
 *
 * @param attempt        1-based attempt number
 * @param at             when the attempt failed
 * @param exceptionClass the failure's class name (the handler's exception, or the innermost cause of a wrapper)
 * @param message        its message (at most 1000 characters)
 * @param stack          a bounded excerpt of the stack trace (at most 2000 characters)
 */
public record FailureRecord(int attempt, Instant at, String exceptionClass, String message, String stack) {

    static final int MAX_MESSAGE = 1000;
    static final int MAX_STACK = 2000;

    /** A record of {@code failure} at attempt {@code attempt}. */
    public static FailureRecord of(int attempt, Instant at, Throwable failure) {
        StringBuilder stack = new StringBuilder();
        for (Throwable t = failure; t != null && stack.length() < MAX_STACK; t = t.getCause() == t ? null : t.getCause()) {
            if (t != failure) {
                stack.append("Caused by: ");
            }
            stack.append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(8, frames.length); i++) {
                stack.append("\tat ").append(frames[i]).append('\n');
            }
        }
        String s = stack.length() > MAX_STACK ? stack.substring(0, MAX_STACK) : stack.toString();
        String msg = String.valueOf(failure.getMessage());
        return new FailureRecord(attempt, at, failure.getClass().getName(),
                msg.length() > MAX_MESSAGE ? msg.substring(0, MAX_MESSAGE) : msg, s);
    }
}
