import Foundation
import Metrics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// GPU gauges from NVIDIA's management library (NVML, `libnvidia-ml.so.1`, which comes with the driver), read when
/// metrics are scraped:
///   `tern_gpu_memory_used_bytes{gpu}`, `tern_gpu_memory_total_bytes{gpu}`, `tern_gpu_utilization_ratio{gpu}` (0-1).
/// NVML is optional: loaded with `dlopen` once, and where it is missing (no NVIDIA driver, macOS) or fails to
/// initialise there are simply no GPU gauges. Only the five NVML calls below are used; their signatures are
/// those of NVML's public header (`nvml.h`), stable since the `_v2` entry points of CUDA 5.
enum GPUMetrics {
    private typealias InitFunction = @convention(c) () -> Int32
    private typealias CountFunction = @convention(c) (UnsafeMutablePointer<UInt32>) -> Int32
    private typealias HandleFunction = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    private typealias QueryFunction = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer) -> Int32

    /// The library name handed to the system loader.
    static let libraryName = "libnvidia-ml.so.1"

    /// NVML's functions, resolved once; nil when NVML is absent or did not initialise.
    private struct Functions: @unchecked Sendable {
        // @unchecked Sendable: C function pointers into a library that is never unloaded; NVML is thread-safe.
        let count: CountFunction
        let handle: HandleFunction
        let memory: QueryFunction
        let utilization: QueryFunction
    }

    private static let functions: Functions? = {
        guard let library = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard let initialise = symbol("nvmlInit_v2", as: InitFunction.self),
            let count = symbol("nvmlDeviceGetCount_v2", as: CountFunction.self),
            let handle = symbol("nvmlDeviceGetHandleByIndex_v2", as: HandleFunction.self),
            let memory = symbol("nvmlDeviceGetMemoryInfo", as: QueryFunction.self),
            let utilization = symbol("nvmlDeviceGetUtilizationRates", as: QueryFunction.self),
            initialise() == 0
        else { return nil }
        return Functions(count: count, handle: handle, memory: memory, utilization: utilization)
    }()

    /// One device's reading.
    struct Reading: Equatable {
        let index: Int
        let usedBytes: UInt64
        let totalBytes: UInt64
        /// Percent of the last sample period a kernel ran, 0-100; nil when the device does not say.
        let utilizationPercent: UInt32?
    }

    /// Reads every device NVML sees; empty without NVML.
    static func read() -> [Reading] {
        guard let functions else { return [] }
        var count: UInt32 = 0
        guard functions.count(&count) == 0 else { return [] }
        var readings: [Reading] = []
        for index in 0..<min(count, 64) {
            var device: OpaquePointer?
            guard functions.handle(index, &device) == 0 else { continue }
            // nvmlMemory_t: unsigned long long total, free, used.
            var memory: (UInt64, UInt64, UInt64) = (0, 0, 0)
            guard withUnsafeMutableBytes(of: &memory, { functions.memory(device, $0.baseAddress!) }) == 0 else { continue }
            // nvmlUtilization_t: unsigned int gpu, memory (percent).
            var utilization: (UInt32, UInt32) = (0, 0)
            let utilizationStatus = withUnsafeMutableBytes(of: &utilization) { functions.utilization(device, $0.baseAddress!) }
            readings.append(
                Reading(
                    index: Int(index), usedBytes: memory.2, totalBytes: memory.0,
                    utilizationPercent: utilizationStatus == 0 ? utilization.0 : nil))
        }
        return readings
    }

    /// Updates the gauges; call it right before rendering.
    static func update() {
        for reading in read() {
            let gpu = [("gpu", String(reading.index))]
            Gauge(label: "tern_gpu_memory_used_bytes", dimensions: gpu).record(Int64(clamping: reading.usedBytes))
            Gauge(label: "tern_gpu_memory_total_bytes", dimensions: gpu).record(Int64(clamping: reading.totalBytes))
            if let percent = reading.utilizationPercent {
                Gauge(label: "tern_gpu_utilization_ratio", dimensions: gpu).record(Double(percent) / 100)
            }
        }
    }
}
