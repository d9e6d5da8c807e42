package io.strongzero.examples.spring.producer;

import org.springframework.data.jpa.repository.JpaRepository;

/** The users table. */
public interface UserRepository extends JpaRepository<UserEntity, Long> {
}
