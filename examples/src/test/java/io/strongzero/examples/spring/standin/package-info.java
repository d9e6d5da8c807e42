/**
 * Stand-ins for the few Spring types the Spring snippet in {@code docs/transactions.md} uses, with the same
 * names and signatures, so that the snippet compiles without Spring on the class path. They do nothing;
 * the real types are in {@code org.springframework.transaction.support},
 * {@code org.springframework.jdbc.datasource}, {@code org.springframework.transaction.annotation} and
 * {@code org.springframework.context.annotation}.
 */
package io.strongzero.examples.spring.standin;
