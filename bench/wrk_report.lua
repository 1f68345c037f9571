-- wrk reporter for bench/load.sh: one JSON line with throughput, latency percentiles and errors.
-- wrk counts a status of 400 or more as an error (errors.status); socket errors are the rest.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
