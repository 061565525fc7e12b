package dev.firebreak.incidents.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.correlation.Grouping;
import dev.firebreak.incidents.inhibition.Inhibitions;

/**
 * "Why are these together?": how the rules as they stand group an alert with a given
 * label set, and what inhibition rules it is a cause or a symptom under.
 */
@RestController
@RequestMapping("/api/v1/correlation")
class CorrelationController {

	private static final int MAX_LABELS = 64;

	private final Grouping grouping;

	private final Inhibitions inhibitions;

	CorrelationController(Grouping grouping, Inhibitions inhibitions) {
		this.grouping = grouping;
		this.inhibitions = inhibitions;
	}

	/**
	 * @param groupingRule the rule that groups it
	 * @param correlationKey the key: alerts with the same key join one open incident
	 * @param keyLabels the label values the key is made of
	 * @param symptomUnder the inhibition rules whose causes would explain it
	 * @param causeUnder the inhibition rules under which it explains others
	 */
	record Explanation(Map<String, String> labels, String groupingRule, String correlationKey,
			Map<String, String> keyLabels, List<String> symptomUnder, List<String> causeUnder) {
	}

	/**
	 * @param label {@code name=value}, once per label
	 */
	@GetMapping("/explain")
	Explanation explain(@RequestParam(name = "label", required = false) List<String> label) {
		if (label == null || label.isEmpty()) {
			throw new BadRequestException("label", "give the alert's labels as label=name=value, one each");
		}
		if (label.size() > MAX_LABELS) {
			throw new BadRequestException("label", "at most " + MAX_LABELS + " labels");
		}
		Map<String, String> labels = new LinkedHashMap<>();
		for (String pair : label) {
			int equals = pair.indexOf('=');
			if (equals < 1 || !pair.substring(0, equals).matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
				throw new BadRequestException("label", "'" + pair + "' is not name=value");
			}
			labels.put(pair.substring(0, equals), pair.substring(equals + 1));
		}
		Grouping.Keyed keyed = this.grouping.keyOf(labels);
		Inhibitions.Roles roles = this.inhibitions.roles(labels);
		return new Explanation(labels, keyed.rule(), keyed.key().value(), keyed.key().labels(), roles.targetOf(),
				roles.sourceOf());
	}

}
