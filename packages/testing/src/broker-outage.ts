import { rabbitUrlWithPort, testEnv } from './env.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** A proxy in front of the test RabbitMQ: give a service `url`; `silence()` lets nothing through while sockets stay open. */
export interface RabbitProxy extends TcpProxy {
  url: string;
  silence(): void;
  restore(): void;
}

export async function startRabbitProxy(): Promise<RabbitProxy> {
  const proxy = await startTcpProxy(Number(new URL(testEnv.rabbitUrl).port || 5672));
  return {
    ...proxy,
    url: rabbitUrlWithPort(proxy.port),
    silence() {
      proxy.stall();
      proxy.pause();
    },
    restore() {
      proxy.unstall();
      proxy.resume();
    },
  };
}

/**
 * A broker outage at shutdown: silences the proxy, runs `pending` (work that should still wait when
 * the service stops, e.g. an event in the outbox), then stops the service and times the stop.
 */
export async function stopDuringBrokerOutage(
  proxy: RabbitProxy,
  service: { stop(): Promise<boolean> },
  pending: () => Promise<unknown> = async () => undefined,
): Promise<{ clean: boolean; tookMs: number }> {
  proxy.silence();
  await pending();
  const began = performance.now();
  const clean = await service.stop();
  return { clean, tookMs: performance.now() - began };
}
