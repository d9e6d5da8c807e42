package io.strongzero.core.internal;

import java.util.Locale;

/**
 * Classifies ZeroMQ endpoints for the plaintext warning: {@code ipc://} and {@code inproc://} never
 * leave the host, nor does {@code tcp://} on a loopback address; anything else may cross a network.
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * True if traffic on the endpoint stays on this host: {@code ipc://}, {@code inproc://}, or
     * {@code tcp://} on {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}. Host names other than
     * {@code localhost}, wildcards ({@code *}, {@code 0.0.0.0}) and interface names are not local.
     */
    public static boolean isLocal(String endpoint) {
        if (endpoint.startsWith("ipc://") || endpoint.startsWith("inproc://")) {
            return true;
        }
        if (!endpoint.startsWith("tcp://")) {
            return false;
        }
        String address = endpoint.substring("tcp://".length());
        int semicolon = address.lastIndexOf(';');   // "source;destination" form of connect
        if (semicolon >= 0) {
            address = address.substring(semicolon + 1);
        }
        int colon = address.lastIndexOf(':');
        String host = (colon < 0 ? address : address.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
