package io.strongzero.examples.spring.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The member service: keeps its own {@code members} table in step with the user service's users, by applying
 * {@code user.created} in {@link MemberHandlers}. Its configuration is {@code application-consumer.properties} (the
 * {@code consumer} profile): its own database, {@code strongzero.consumer.name=members} and the user service's
 * endpoint. The StrongZero starter runs the consumer: each batch of messages is applied in one Spring transaction
 * that also moves the consumer's offset.
 *
 * <p>Run it on its own with {@code --spring.profiles.active=consumer}; {@link io.strongzero.examples.spring.SpringDemo}
 * runs it together with the user service.
 */
@SpringBootApplication
public class MemberServiceApp {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(MemberServiceApp.class);
        app.setAdditionalProfiles("consumer");
        app.run(args);
    }
}
