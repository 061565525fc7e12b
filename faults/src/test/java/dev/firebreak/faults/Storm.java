package dev.firebreak.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.json.JsonMapper;

/**
 * A storm of alerts through alert-ingest, as Alertmanager would send them to two
 * instances behind a load balancer: at a steady pace a new service goes down (one
 * correlation group, three alerts, one per instance label, each posted on its own), and
 * each group resolves a while after all its alerts were accepted. A post that fails,
 * times out or is refused is sent again to the next instance until one answers 2xx, as
 * Alertmanager retries; what counts is what was answered 2xx.
 */
final class Storm implements AutoCloseable {

	static final String ALERTNAME = "StormServiceDown";

	static final List<String> INSTANCES = List.of("a", "b", "c");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Alertmanager gives up on a notification after 5 minutes; so does the storm. */
	private static final Duration GIVE_UP = Duration.ofMinutes(5);

	private final List<Integer> ingestPorts;

	private final String token;

	private final Duration resolveAfter;

	private final ScheduledExecutorService opener = Executors.newSingleThreadScheduledExecutor();

	private final ScheduledExecutorService posters = Executors.newScheduledThreadPool(6);

	private final AtomicInteger groupsOpened = new AtomicInteger();

	private final AtomicInteger nextPort = new AtomicInteger();

	private final Map<String, Group> groups = new ConcurrentHashMap<>();

	private final List<Post> posts = new CopyOnWriteArrayList<>();

	Storm(List<Integer> ingestPorts, String token, Duration resolveAfter) {
		this.ingestPorts = List.copyOf(ingestPorts);
		this.token = token;
		this.resolveAfter = resolveAfter;
	}

	/** Opens a group now and then every {@code every}, until {@link #stopOpening()}. */
	void start(Duration every) {
		this.opener.scheduleAtFixedRate(this::open, 0, every.toMillis(), TimeUnit.MILLISECONDS);
	}

	void stopOpening() throws InterruptedException {
		this.opener.shutdown();
		this.opener.awaitTermination(10, TimeUnit.SECONDS);
	}

	/** The groups opened so far, by service. */
	Collection<Group> groups() {
		return this.groups.values();
	}

	/** Every post sent, with when it was first tried and when it was answered 2xx. */
	List<Post> posts() {
		return List.copyOf(this.posts);
	}

	/**
	 * Whether every group opened has had all its alerts accepted, firing and resolved.
	 */
	boolean allResolved() {
		return this.groups.values().stream().allMatch(Group::resolved);
	}

	private void open() {
		Group group = new Group(String.format("storm-%03d", this.groupsOpened.incrementAndGet()), Instant.now());
		this.groups.put(group.service(), group);
		this.posters.execute(() -> fire(group));
	}

	private void fire(Group group) {
		for (String instance : INSTANCES) {
			if (post(List.of(alert(group, instance, null)))) {
				group.accepted.add(instance);
			}
		}
		long wait = Math.max(0, Duration.between(Instant.now(), group.openedAt().plus(this.resolveAfter)).toMillis());
		this.posters.schedule(() -> resolve(group), wait, TimeUnit.MILLISECONDS);
	}

	private void resolve(Group group) {
		Instant now = Instant.now();
		List<Map<String, Object>> alerts = group.accepted.stream()
			.map((instance) -> alert(group, instance, now.minusSeconds(1)))
			.toList();
		if (post(alerts)) {
			group.resolvedAt = now;
		}
	}

	/** Seed 003's ServiceDown, for one instance of the group's service. */
	private static Map<String, Object> alert(Group group, String instance, Instant endsAt) {
		Map<String, Object> alert = new LinkedHashMap<>();
		alert.put("labels", Map.of("alertname", ALERTNAME, "service", group.service(), "instance",
				group.service() + "-" + instance + ":9100", "severity", "critical"));
		alert.put("annotations", Map.of("summary", group.service() + " is down on " + instance));
		alert.put("startsAt", group.openedAt().minusSeconds(60).toString());
		if (endsAt != null) {
			alert.put("endsAt", endsAt.toString());
		}
		return alert;
	}

	/**
	 * Posts until an instance answers 2xx, trying the next one after each failure; false
	 * when none did within five minutes.
	 */
	private boolean post(List<Map<String, Object>> alerts) {
		String body = JSON.writeValueAsString(alerts);
		Instant first = Instant.now();
		int start = this.nextPort.getAndIncrement();
		int attempts = 0;
		while (Duration.between(first, Instant.now()).compareTo(GIVE_UP) < 0) {
			// The posts take turns; a post sent again goes to the next instance.
			int port = this.ingestPorts.get(Math.floorMod(start + attempts, this.ingestPorts.size()));
			attempts++;
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + this.token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			try {
				int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status / 100 == 2) {
					this.posts.add(new Post(first, Instant.now(), attempts));
					return true;
				}
			}
			catch (IOException ex) {
				// Refused, reset or timed out: the next instance.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			pause(Duration.ofMillis(250));
		}
		this.posts.add(new Post(first, null, attempts));
		return false;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.opener.shutdownNow();
		this.posters.shutdownNow();
	}

	/**
	 * A service that went down: its alerts the storm got accepted, and when it resolved
	 * them.
	 */
	static final class Group {

		private final String service;

		private final Instant openedAt;

		private final List<String> accepted = new CopyOnWriteArrayList<>();

		private volatile Instant resolvedAt;

		Group(String service, Instant openedAt) {
			this.service = service;
			this.openedAt = openedAt;
		}

		String service() {
			return this.service;
		}

		Instant openedAt() {
			return this.openedAt;
		}

		/** The instance labels of its alerts that were answered 2xx. */
		List<String> accepted() {
			return new ArrayList<>(this.accepted);
		}

		boolean resolved() {
			return this.resolvedAt != null;
		}

	}

	/**
	 * One post: when it was first tried, when it was answered 2xx (null: never), in how
	 * many tries.
	 */
	record Post(Instant first, Instant accepted, int attempts) {

		Duration waited() {
			return Duration.between(this.first, this.accepted);
		}

	}

}
