// swift-tools-version: 6.2
import PackageDescription

// Our own targets build with warnings as errors; dependencies keep their own settings.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .treatAllWarnings(as: .error)]

let package = Package(
    name: "tern",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tern", targets: ["tern"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // NIOHTTPTypes: the request and response parts the connection guard sees (Hummingbird builds it anyway).
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Tracing export (telemetry): OTLP/HTTP only, so the gRPC stack is not built.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.2.0"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.0.0", traits: ["OTLPHTTP"]),
        // `tern serve --config FILE` (configuration).
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The project's own declarations of the OrtApi slots it calls. No logic.
        .target(name: "CONNXRuntime"),
        // Image codecs from Debian's -dev packages (scripts/setup-image-codecs), as system libraries.
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        // C shims that turn the codecs' longjmp error handling into return codes. No codec logic.
        .target(
            name: "CImageCodecs", dependencies: ["CLibJPEG", "CLibPNG", "CLibWebP"],
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("webp")]),
        // Decoding, orientation and PNG encoding of images; no HTTP, no ONNX Runtime.
        .target(name: "Imaging", dependencies: ["CImageCodecs"], swiftSettings: strict),
        // Swift wrapper over the dlopen'ed ONNX Runtime C API.
        .target(name: "ONNXRuntime", dependencies: ["CONNXRuntime"], swiftSettings: strict),
        // tokenizer.json loader; Foundation only.
        .target(name: "Tokenizers", swiftSettings: strict),
        // Model loading, pipelines and their errors; no HTTP.
        .target(
            name: "InferenceCore",
            dependencies: [
                "ONNXRuntime", "Tokenizers", "Scheduler", "Imaging", .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Dynamic batching: a pure state machine plus the service that runs it.
        .target(
            name: "Scheduler",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The Hummingbird application: routes per API, DTOs, errors, configuration.
        // Model hosting: the registry, one host per model, loading and unloading. No HTTP.
        .target(
            name: "Serving",
            dependencies: [
                "InferenceCore", "Scheduler", "ONNXRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TernServer",
            dependencies: [
                "InferenceCore", "Scheduler", "Serving",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tern",
            dependencies: [
                "TernServer", "Serving", "InferenceCore", "Imaging", "ONNXRuntime", "Tokenizers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ONNXRuntimeTests", dependencies: ["ONNXRuntime", "CONNXRuntime"], swiftSettings: strict),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"], exclude: ["Fixtures"], swiftSettings: strict),
        // Repository paths shared by the test targets that load the real model.
        .target(name: "TernTestSupport", path: "Tests/TernTestSupport", swiftSettings: strict),
        .testTarget(
            name: "InferenceCoreTests", dependencies: ["InferenceCore", "Scheduler", "Imaging", "ONNXRuntime", "TernTestSupport"], swiftSettings: strict),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler"], swiftSettings: strict),
        .testTarget(
            name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "TernServerTests",
            dependencies: [
                "TernServer", "Serving", "InferenceCore", "Imaging", "ONNXRuntime", "TernTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)
