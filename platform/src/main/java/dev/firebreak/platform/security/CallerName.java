package dev.firebreak.platform.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.security.core.annotation.CurrentSecurityContext;

/**
 * A controller parameter that receives the authenticated caller's name: the actor of
 * whatever the request does, never a value the request itself carries.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@CurrentSecurityContext(expression = "authentication.name")
public @interface CallerName {

}
