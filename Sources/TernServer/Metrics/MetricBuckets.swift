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
