package dev.firebreak.incidents.console;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML for the console, safe for text that alert labels and operators wrote:
 * raw HTML in the source is escaped, never passed on, and links keep only safe schemes.
 */
final class Markdown {

	private static final Parser PARSER = Parser.builder().build();

	private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

	private Markdown() {
	}

	static String html(String markdown) {
		return RENDERER.render(PARSER.parse(markdown));
	}

}
