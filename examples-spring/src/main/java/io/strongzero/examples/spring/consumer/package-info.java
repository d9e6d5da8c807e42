/** The member service: a Spring Boot application that applies {@code user.created} to its members table. */
package io.strongzero.examples.spring.consumer;
