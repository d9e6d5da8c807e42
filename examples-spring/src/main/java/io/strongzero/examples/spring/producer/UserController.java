package io.strongzero.examples.spring.producer;

import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /users} with {@code {"name": "...", "email": "..."}} registers a user and answers {@code {"id": N}}.
 * With {@code ?failAfterSend=true} the registration sends its message and then fails (422): nothing is committed.
 */
@RestController
public class UserController {

    /** The request body. */
    public record Registration(String name, String email) {
    }

    private final UserService service;

    public UserController(UserService service) {
        this.service = service;
    }

    @PostMapping("/users")
    public Map<String, Long> register(@RequestBody Registration registration,
                                      @RequestParam(name = "failAfterSend", defaultValue = "false") boolean failAfterSend) {
        long id = failAfterSend
                ? service.registerThenFail(registration.name(), registration.email())
                : service.register(registration.name(), registration.email());
        return Map.of("id", id);
    }
}
