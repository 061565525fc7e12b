package dev.firebreak.incidents.console;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Who is signed in, for every console page: the name, and whether the page offers the
 * operators' actions and the admins' switch (offered or not, the server checks each
 * request's role again); and a key drawn for the page's forms, which names the command a
 * form sends, so that sending it twice is one command.
 */
@ControllerAdvice(basePackageClasses = SignedIn.class)
class SignedIn {

	@ModelAttribute
	void caller(Authentication caller, Model model) {
		if (caller == null) {
			return;
		}
		model.addAttribute("who", caller.getName());
		model.addAttribute("operator", Roles.operator(caller));
		model.addAttribute("admin", Roles.admin(caller));
		model.addAttribute("formKey", UUID.randomUUID().toString());
	}

}
