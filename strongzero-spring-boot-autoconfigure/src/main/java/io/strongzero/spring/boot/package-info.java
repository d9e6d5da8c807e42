/**
 * StrongZero for Spring Boot: the auto-configuration ({@link io.strongzero.spring.boot.StrongZeroAutoConfiguration}),
 * the {@code strongzero.*} properties ({@link io.strongzero.spring.boot.StrongZeroProperties}), handler methods
 * ({@link io.strongzero.spring.boot.StrongZeroHandler}) and the Spring transaction support. The package
 * {@code io.strongzero.spring.boot.internal} is not API.
 */
package io.strongzero.spring.boot;
