package dev.firebreak.incidents.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The sign-in form. Spring Security takes the posted token on the same path, keeps the
 * sign-in in the session and refuses any change without the session's CSRF token.
 */
@Controller
@RequestMapping(ConsoleConfiguration.PATH)
class SignIn {

	@GetMapping("/login")
	String form() {
		return "console/login";
	}

}
