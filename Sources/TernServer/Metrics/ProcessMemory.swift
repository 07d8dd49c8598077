import Foundation
import Metrics

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
