package io.strongzero.examples;

/** The payload of {@code user.created}: what the producer publishes about a new user. */
public record User(long id, String name, String email) {
}
