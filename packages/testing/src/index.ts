export { testEnv, rabbitUrlWithPort } from './env.js';
export { uniqueName } from './unique-name.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { waitFor, sleep } from './wait-for.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { countSocketWrites, type SocketWriteCounter } from './socket-writes.js';
export { createTestTokenSigner, type TestTokenSigner } from './access-tokens.js';
export { withBrokerMemoryAlarm } from './broker-alarm.js';
export { checkOpenApiDocument, operationsOf, sampleBodyOf, sampleOf } from './openapi.js';
