/** The auto-configuration's parts. Internal API: may change in any release. */
package io.strongzero.spring.boot.internal;
