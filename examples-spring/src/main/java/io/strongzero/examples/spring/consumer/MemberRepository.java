package io.strongzero.examples.spring.consumer;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The members table. */
public interface MemberRepository extends JpaRepository<MemberEntity, Long> {

    /** The user ids of all members. */
    @Query("select m.userId from MemberEntity m")
    List<Long> findAllUserIds();
}
