/** The user service: a Spring Boot application that registers users and sends {@code user.created}. */
package io.strongzero.examples.spring.producer;
