/**
 * StrongZero with Spring Boot: a user service ({@link io.strongzero.examples.spring.producer.UserServiceApp}) sends
 * {@code user.created} from a {@code @Transactional} method, a member service
 * ({@link io.strongzero.examples.spring.consumer.MemberServiceApp}) applies it with a {@code @StrongZeroHandler}
 * method whose JPA writes commit with the consumer's offset; {@link io.strongzero.examples.spring.SpringDemo} runs
 * both in one JVM.
 */
package io.strongzero.examples.spring;
