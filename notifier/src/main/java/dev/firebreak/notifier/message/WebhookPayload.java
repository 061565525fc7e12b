package dev.firebreak.notifier.message;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON a generic webhook receives: the notice as it is, with a version. */
public final class WebhookPayload {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private WebhookPayload() {
	}

	public static ObjectNode render(Notice notice) {
		ObjectNode payload = JSON.valueToTree(notice);
		payload.put("version", "1");
		payload.put("occurredAt", notice.occurredAt().toString());
		return payload;
	}

}
