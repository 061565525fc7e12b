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
 * Starts before the Kafka listener and stops after it: at start, settles what an earlier
 * run left STARTED, then sweeps (verification deadlines, unpublished outcomes) every
 * {@code sweep-interval}; at stop, waits for running actions.
 */
@Component
class EngineLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EngineLifecycle.class);

	private final RemediationEngine engine;

	private final RemediationProperties properties;

	private ScheduledExecutorService sweeper;

	EngineLifecycle(RemediationEngine engine, RemediationProperties properties) {
		this.engine = engine;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		this.engine.recover();
		this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "remediation-sweep");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.sweepInterval().toMillis();
		this.sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		try {
			this.engine.sweep();
		}
		catch (RuntimeException ex) {
			log.atWarn().setMessage("Sweep failed; trying again").addKeyValue("error", ex.toString()).log();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
			this.sweeper = null;
		}
		this.engine.close();
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
