package io.strongzero.examples.spring.producer;

import io.strongzero.examples.spring.UserPayload;
import io.strongzero.producer.StrongZeroSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers users: the row in {@code users} and the {@code user.created} message commit together or not at all.
 * {@link StrongZeroSender#send(String, String, Object)} writes the message into the journal table in the current
 * transaction (the JPA transaction's connection), so a rollback takes the message with it and a commit makes it
 * deliverable; the pump is woken after the commit.
 */
@Service
public class UserService {

    private final UserRepository users;
    private final StrongZeroSender sender;

    public UserService(UserRepository users, StrongZeroSender sender) {
        this.users = users;
        this.sender = sender;
    }

    // tag::send[]
    @Transactional
    public long register(String name, String email) {
        UserEntity user = users.save(new UserEntity(name, email));          // INSERT INTO users ...
        long id = user.getId();
        UserPayload payload = new UserPayload(id, name, email);
        sender.send("user.created", String.valueOf(id), payload);          // INSERT INTO sz_journal ..., same transaction
        return id;
    }
    // end::send[]

    /**
     * Saves the user and sends {@code user.created} as {@link #register} does, then fails: the transaction rolls back,
     * and with it the users row and the journal row. No consumer ever sees the message.
     *
     * @throws RegistrationRejectedException always, after the send
     */
    @Transactional
    public long registerThenFail(String name, String email) {
        long id = register(name, email);
        throw new RegistrationRejectedException("registration of user " + id + " (" + email + ") rejected after the "
                + "send; the transaction rolls back with its message");
    }
}
