package io.strongzero.examples.spring.producer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The user service: registers users over HTTP ({@code POST /users}) and, in the same transaction, sends
 * {@code user.created} through StrongZero's journal. Its configuration is {@code application-producer.properties}
 * (the {@code producer} profile): a database, {@code strongzero.producer.name=users} and the endpoint consumers pull
 * from. The StrongZero starter does the rest: the sender joins the {@code @Transactional} method's transaction, the
 * pump and the producer start and stop with the context.
 *
 * <p>Run it on its own with {@code --spring.profiles.active=producer}; {@link io.strongzero.examples.spring.SpringDemo}
 * runs it together with the member service.
 */
@SpringBootApplication
public class UserServiceApp {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(UserServiceApp.class);
        app.setAdditionalProfiles("producer");
        app.run(args);
    }
}
