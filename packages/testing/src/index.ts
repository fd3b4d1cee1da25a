export { testEnv, rabbitUrlWithPort } from './env.js';
export { uniqueName } from './unique-name.js';
export { createTestDatabase, openConnectionsTo, type TestDatabase } from './test-database.js';
export { waitFor, sleep } from './wait-for.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { startRabbitProxy, stopDuringBrokerOutage, type RabbitProxy } from './broker-outage.js';
export { countSocketWrites, type SocketWriteCounter } from './socket-writes.js';
export { createTestTokenSigner, type TestTokenSigner } from './access-tokens.js';
export { withBrokerMemoryAlarm } from './broker-alarm.js';
