/** `node dist-bench/bench/ack-latency-main.js`: the ack-latency table alone (bench/run.ts runs it with the others). */
import { runAckLatencyBench } from './ack-latency.js';

await runAckLatencyBench();
