package dev.firebreak.notifier.delivery;

import java.util.List;

import dev.firebreak.platform.Secret;

/**
 * Takes every configured secret (webhook URLs, routing keys, signing secrets, the SMTP
 * password) out of a text before it is logged, kept, published or dead-lettered.
 */
public final class Redactor {

	private final List<String> secrets;

	public Redactor(List<Secret> secrets) {
		this.secrets = secrets.stream().map(Secret::value).filter((value) -> value.length() >= 4).toList();
	}

	public String redact(String text) {
		if (text == null) {
			return null;
		}
		String redacted = text;
		for (String secret : this.secrets) {
			redacted = redacted.replace(secret, "****");
		}
		return redacted;
	}

}
