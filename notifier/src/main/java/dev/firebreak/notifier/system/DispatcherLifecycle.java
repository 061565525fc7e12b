package dev.firebreak.notifier.system;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.firebreak.notifier.delivery.Dispatcher;

/** Starts the senders before the Kafka listener and stops them after it. */
@Component
class DispatcherLifecycle implements SmartLifecycle {

	private final Dispatcher dispatcher;

	private volatile boolean running;

	DispatcherLifecycle(Dispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public void start() {
		this.dispatcher.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.dispatcher.stop();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return 0;
	}

}
