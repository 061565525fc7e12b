package dev.firebreak.notifier.message;

/** Bounds for text that goes into size-limited fields. */
final class Texts {

	private Texts() {
	}

	/** At most {@code max} characters, ending with an ellipsis when cut. */
	static String cut(String text, int max) {
		if (text == null) {
			return "";
		}
		if (text.length() <= max) {
			return text;
		}
		int end = max - 1;
		// Never split a surrogate pair.
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "…";
	}

}
