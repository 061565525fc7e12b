package dev.firebreak.incidents.console;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The remediation kill switch for admins: what remediation-engine says about it, and a
 * button that turns it on (no runbook runs anywhere) or off again ({@link KillSwitch}).
 */
@Controller
@RequestMapping(ConsoleConfiguration.PATH + "/remediation")
class RemediationPages {

	private final KillSwitch killSwitch;

	RemediationPages(KillSwitch killSwitch) {
		this.killSwitch = killSwitch;
	}

	@GetMapping
	String state(Model model) {
		model.addAttribute("configured", this.killSwitch.configured());
		if (this.killSwitch.configured()) {
			try {
				model.addAttribute("state", this.killSwitch.state());
			}
			catch (KillSwitch.Unavailable ex) {
				model.addAttribute("refused", ex.getMessage());
			}
		}
		return "console/remediation";
	}

	@PostMapping("/kill-switch")
	String turn(@RequestParam boolean on, Authentication caller, RedirectAttributes flash) {
		try {
			KillSwitch.State state = this.killSwitch.turn(on, caller.getName());
			flash.addFlashAttribute("done", "The kill switch is " + (state.on() ? "on: no runbook runs" : "off")
					+ " (recorded as " + state.changedBy() + ")");
		}
		catch (KillSwitch.Unavailable ex) {
			flash.addFlashAttribute("refused", "The kill switch was not changed: " + ex.getMessage());
		}
		return "redirect:" + ConsoleConfiguration.PATH + "/remediation";
	}

}
