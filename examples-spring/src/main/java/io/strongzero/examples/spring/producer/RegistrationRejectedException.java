package io.strongzero.examples.spring.producer;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A registration refused after its message was sent: its transaction, and so the message, roll back. */
@ResponseStatus(HttpStatus.UNPROCESSABLE_CONTENT)
public class RegistrationRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistrationRejectedException(String message) {
        super(message);
    }
}
