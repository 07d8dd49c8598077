import InferenceCore
import NIOCore

/// One entry of Triton's `model_stats` array (the statistics extension).
enum ModelStatisticsJSON {
    static func write(_ statistics: ModelStatistics, name: String, version: String, to buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"name":"#)
        JSONString.write(name, to: &buffer)
        buffer.writeStaticString(#","version":"#)
        JSONString.write(version, to: &buffer)
        buffer.writeStaticString(#","last_inference":"#)
        buffer.writeString(String(statistics.lastInference))
        buffer.writeStaticString(#","inference_count":"#)
        JSONNumbers.write(statistics.inferenceCount, to: &buffer)
        buffer.writeStaticString(#","execution_count":"#)
        JSONNumbers.write(statistics.executionCount, to: &buffer)
        buffer.writeStaticString(#","inference_stats":{"#)
        let durations: [(StaticString, ModelStatistics.Duration)] = [
            ("success", statistics.success), ("fail", statistics.fail), ("queue", statistics.queue),
            ("compute_input", statistics.computeInput), ("compute_infer", statistics.computeInfer),
            ("compute_output", statistics.computeOutput), ("cache_hit", .init()), ("cache_miss", .init()),
        ]
        for (index, (key, duration)) in durations.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("\"")
            buffer.writeStaticString(key)
            buffer.writeStaticString(#"":{"count":"#)
            JSONNumbers.write(duration.count, to: &buffer)
            buffer.writeStaticString(#","ns":"#)
            buffer.writeString(String(duration.nanoseconds))
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString(#"},"batch_stats":[]}"#)
    }
}
