import Foundation
import Hummingbird
import Metrics

/// `GET /metrics`: whatever the process's metrics backend renders, in Prometheus' text format.
/// The server does not know the backend; the executable hands in the renderer.
struct MetricsRoutes {
    let render: @Sendable () -> [UInt8]

    func register(on router: Router<TernRequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            ProcessMemory.update()
            GPUMetrics.update()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: render()))
            )
        }
    }
}

/// Histogram buckets for Tern's metrics, for whichever backend the executable bootstraps.
public enum MetricBuckets {
    /// Durations from 0.5 ms (a short tokenization) to 30 s (the default request timeout).
    public static let durations: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Value histograms by metric name: inputs per batch, and padded tokens per batch.
    public static let values: [String: [Double]] = [
        "tern_batch_size": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
        "tern_batch_size_tokens": [16, 64, 256, 1024, 2048, 4096, 8192, 16384, 32768, 65536],
    ]
}

/// `tern_process_resident_memory_bytes`: the process's resident set, read from `/proc/self/statm` when
/// metrics are scraped (so it costs nothing between scrapes). Absent where there is no `/proc`.
enum ProcessMemory {
    private static let gauge = Gauge(label: "tern_process_resident_memory_bytes")
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Updates the gauge; call it right before rendering.
    static func update() {
        if let bytes = residentBytes() { gauge.record(bytes) }
    }

    /// Resident bytes, from the second field of `/proc/self/statm` (pages).
    static func residentBytes() -> Int? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/statm"),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * pageSize
    }
}
