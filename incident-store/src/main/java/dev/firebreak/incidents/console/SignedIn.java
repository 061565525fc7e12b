package dev.firebreak.incidents.console;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.firebreak.incidents.api.IncidentActions.Caller;

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

	/**
	 * Who acts, naming the command {@code console:<key>:<action>} when the form carries
	 * its page's key (one command however often the form is sent), a new id otherwise.
	 */
	static Caller acting(Authentication caller, String key, String action) {
		boolean keyed = key != null && !key.isBlank();
		return new Caller(caller.getName(), keyed ? "console:" + key.strip() + ":" + action : null);
	}

}
