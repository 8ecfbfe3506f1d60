import Vapor
import NIOConcurrencyHelpers

/// Request latency by route, for `/metrics`: a Prometheus histogram per method, route pattern and
/// status class. The route is the pattern (`/children/:id`), never the path, so no child's id
/// reaches the metrics; a request that matched no route counts as `unmatched`.
final class RequestMetrics: Sendable {
    struct Key: Hashable, Sendable {
        let method: String
        let route: String
        let status: String
    }
    struct Series: Sendable {
        var buckets: [Int]
        var count = 0
        var sum = 0.0
    }

    /// Upper bounds of the histogram's buckets, in seconds.
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private let series = NIOLockedValueBox<[Key: Series]>([:])
    /// Requests being answered now (the server waits for them before closing the database).
    private let inFlight = NIOLockedValueBox(0)

    func started() { inFlight.withLockedValue { $0 += 1 } }
    func finished() { inFlight.withLockedValue { $0 -= 1 } }

    /// Waits until no request is being answered, or `timeout` has passed; true when none is.
    func waitUntilIdle(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while inFlight.withLockedValue({ $0 }) > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    func observe(method: String, route: String, status: UInt, seconds: Double) {
        let key = Key(method: method, route: route, status: "\(status / 100)xx")
        series.withLockedValue { all in
            var s = all[key] ?? Series(buckets: Array(repeating: 0, count: Self.bounds.count))
            for (i, bound) in Self.bounds.enumerated() where seconds <= bound { s.buckets[i] += 1 }
            s.count += 1
            s.sum += seconds
            all[key] = s
        }
    }

    /// The histogram in Prometheus' text format.
    func render() -> String {
        let all = series.withLockedValue { $0 }.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
        var lines = ["# HELP eyeson_http_request_duration_seconds Time to answer a request, by method, route and status class.",
                     "# TYPE eyeson_http_request_duration_seconds histogram"]
        for (key, s) in all {
            let labels = "method=\"\(key.method)\",route=\"\(Metrics.escape(key.route))\",status=\"\(key.status)\""
            for (i, bound) in Self.bounds.enumerated() {
                lines.append("eyeson_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(s.buckets[i])")
            }
            lines.append("eyeson_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(s.count)")
            lines.append("eyeson_http_request_duration_seconds_sum{\(labels)} \(s.sum)")
            lines.append("eyeson_http_request_duration_seconds_count{\(labels)} \(s.count)")
        }
        return lines.joined(separator: "\n")
    }
}

enum Metrics {
    /// A label value as Prometheus reads it.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Times every request into `RequestMetrics` (which also counts those in flight, for a clean
/// stop), logs it at `info` (method, route pattern, status, milliseconds), and returns the request's id (`X-Request-Id`, also
/// on every log line about it as `request-id`) so a person can quote it when something goes wrong.
struct RequestMetricsMiddleware: AsyncMiddleware {
    let metrics: RequestMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        metrics.started()
        defer { metrics.finished() }
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - started
        let route = request.route.map { RouteAccess.pattern($0.path) } ?? "unmatched"
        let seconds = elapsed / .seconds(1)
        metrics.observe(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        // The route's pattern, never the path itself: a path or query can hold a child's id or name.
        request.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(response.status.code), "duration_ms": .string(String(format: "%.1f", seconds * 1000)),
        ])
        response.headers.replaceOrAdd(name: .xRequestId, value: request.id)
        if let from = request.readFrom { response.headers.replaceOrAdd(name: "X-EyesOn-Read-From", value: from) }
        return response
    }
}

extension Application {
    struct RequestMetricsKey: StorageKey {
        typealias Value = RequestMetrics
    }

    /// The server's request metrics (set by `configure`).
    var requestMetrics: RequestMetrics? {
        get { storage[RequestMetricsKey.self] }
        set { storage[RequestMetricsKey.self] = newValue }
    }
}
