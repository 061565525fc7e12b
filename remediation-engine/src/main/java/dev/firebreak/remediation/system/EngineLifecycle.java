package dev.firebreak.remediation.system;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.firebreak.remediation.engine.RemediationEngine;

/**
 * Starts before the Kafka listener and stops after it: at start, takes over and settles
 * what an engine left STARTED when its lease ran out, then sweeps (verification
 * deadlines, unpublished outcomes) every {@code sweep-interval} and takes over again
 * every third of the {@code lease}; meanwhile it renews the leases of the running
 * attempts every third of the lease, on a thread of its own so that a slow sweep cannot
 * let them run out. At stop, waits for running actions, renewing their leases until they
 * end.
 */
@Component
class EngineLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EngineLifecycle.class);

	private final RemediationEngine engine;

	private final RemediationProperties properties;

	private ScheduledExecutorService sweeper;

	private ScheduledExecutorService leases;

	EngineLifecycle(RemediationEngine engine, RemediationProperties properties) {
		this.engine = engine;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		this.leases = scheduler("remediation-lease");
		long renewal = Math.max(1, this.properties.lease().toMillis() / 3);
		this.leases.scheduleWithFixedDelay(() -> safely("Lease renewal", this.engine::renewLeases), renewal, renewal,
				TimeUnit.MILLISECONDS);
		this.engine.recover();
		this.sweeper = scheduler("remediation-sweep");
		long interval = this.properties.sweepInterval().toMillis();
		this.sweeper.scheduleWithFixedDelay(() -> safely("Sweep", this.engine::sweep), interval, interval,
				TimeUnit.MILLISECONDS);
		this.sweeper.scheduleWithFixedDelay(() -> safely("Takeover", this.engine::recover), renewal, renewal,
				TimeUnit.MILLISECONDS);
	}

	private static ScheduledExecutorService scheduler(String name) {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	private static void safely(String what, Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException ex) {
			log.atWarn()
				.setMessage("Periodic work failed; trying again")
				.addKeyValue("work", what)
				.addKeyValue("error", ex.toString())
				.log();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
			this.sweeper = null;
		}
		this.engine.close();
		// Only now: the actions that ran until the end of the grace kept their leases.
		if (this.leases != null) {
			this.leases.shutdownNow();
			this.leases = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.sweeper != null;
	}

	/** Before the listener containers, so that they stop first. */
	@Override
	public int getPhase() {
		return 0;
	}

}
