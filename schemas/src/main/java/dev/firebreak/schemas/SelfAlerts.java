package dev.firebreak.schemas;

/**
 * The alerts Firebreak raises about itself (ARCHITECTURE.md, "Dead man's switch"): their
 * labels are part of the contract, so that routes and consumers can tell them apart.
 */
public final class SelfAlerts {

	/** The label every alert about Firebreak itself carries, with {@link #SELF}. */
	public static final String LABEL = "firebreak";

	public static final String SELF = "self";

	/**
	 * The alertname of the incident-store's own alert when a heartbeat stopped arriving:
	 * alerts may be getting lost on their way to Firebreak.
	 */
	public static final String PIPELINE_SILENT = "AlertingPipelineSilent";

	/** The label naming the heartbeat alert that went silent. */
	public static final String HEARTBEAT_LABEL = "heartbeat";

	private SelfAlerts() {
	}

}
