export { CircuitBreaker, CircuitSnapshot, CircuitState } from './circuit-breaker';
export { Circuits, CIRCUIT_BASE_MS, CIRCUIT_MAX_MS, Dependency } from './circuits';
export { withDeadline } from './deadline';
export { ResilienceModule } from './resilience.module';
