package io.strongzero.examples.spring;

/**
 * The payload of {@code user.created}: what the user service publishes about a new user and the member service reads.
 * The two services share nothing but this shape (as JSON inside the message); each could declare its own record.
 */
public record UserPayload(long id, String name, String email) {
}
