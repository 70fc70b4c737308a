-- wrk report for scripts/bench.py: one line of JSON after the run (no per-request Lua,
-- so the script adds no cost to the load generator). Latencies are in microseconds.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "rps": %.2f, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"bytes": %d, "err_connect": %d, "err_read": %d, "err_write": %d, ' ..
    '"err_status": %d, "err_timeout": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
