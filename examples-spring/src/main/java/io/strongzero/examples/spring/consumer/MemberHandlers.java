package io.strongzero.examples.spring.consumer;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.examples.spring.UserPayload;
import io.strongzero.spring.boot.StrongZeroHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The member service's handlers. The consumer calls them inside its own Spring transaction (AUTO mode), so the JPA
 * repository's writes join it and commit together with the consumer's new offset: a message is applied exactly once,
 * and a handler that throws leaves neither its rows nor a moved offset behind (the message is retried, then
 * dead-lettered).
 */
@Component
public class MemberHandlers {

    private static final Logger log = LoggerFactory.getLogger(MemberHandlers.class);

    private final MemberRepository members;

    public MemberHandlers(MemberRepository members) {
        this.members = members;
    }

    // tag::handler[]
    @StrongZeroHandler("user.created")
    void on(UserPayload user, HandlerContext ctx) {
        if (ctx.attempt() > 1) {
            log.info("user {}: attempt {}", user.id(), ctx.attempt());
        }
        // joins the consumer's transaction: the INSERT commits with the offset, or neither does
        members.save(new MemberEntity(user.id(), user.name(), user.email()));
    }
    // end::handler[]
}
