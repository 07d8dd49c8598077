internal import CONNXRuntime

extension Session {
    /// Runs the model once.
    ///
    /// Safe to call from several threads at once; blocks the calling thread until the model has finished.
    /// Input tensors are read in place, and must not be written to until the call returns.
    /// - Parameters:
    ///   - inputs: one tensor for every model input, by name.
    ///   - outputNames: the outputs to compute, in the order wanted; `nil` computes every output in the model's
    ///     order.
    ///   - shrinkingArena: give the CPU arena's unused regions back when the run ends (ONNX Runtime's
    ///     `memory.enable_memory_arena_shrinkage`), for a run far larger than the usual ones, whose memory the
    ///     arena would otherwise keep for the life of the session. Ignored for sessions without the CPU arena or
    ///     on another execution provider (ONNX Runtime fails a run that asks to shrink an arena it lacks).
    /// - Returns: the outputs in the order of `outputNames` (or the model's order), each carrying its name.
    /// - Throws: `.invalidArgument` for an unknown or missing input, an input whose element type differs from the
    ///   model's, an unknown output name, or tensors created for another ONNX Runtime library; otherwise ORT's own
    ///   error (e.g. a shape the model cannot take).
    public func run(_ inputs: [String: Tensor], outputNames requested: [String]? = nil, shrinkingArena: Bool = false)
        throws(ORTError) -> [Value]
    {
        let tensors = try orderedInputs(inputs)
        let outputPositions = try positions(of: requested)
        var results = [OpaquePointer?](repeating: nil, count: outputPositions.count)
        let status = try invoke(tensors, outputPositions, &results, shrinkingArena: shrinkingArena)
        if let status {
            results.forEach { library.api.pointee.ReleaseValue($0) }
            throw ORTError(consuming: status, api: library.api)
        }

        // Wrap every OrtValue so each is released exactly once, even if one of them cannot be read.
        var outputs: [Value] = []
        var failure: ORTError?
        for (position, result) in zip(outputPositions, results) {
            guard let result else {
                failure =
                    failure
                    ?? ORTError(code: .fail, message: "Run returned no value for '\(self.outputs[position].name)'")
                continue
            }
            guard failure == nil else {
                library.api.pointee.ReleaseValue(result)
                continue
            }
            do throws(ORTError) {
                outputs.append(try Value(taking: result, name: self.outputs[position].name, producer: self))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return outputs
    }

    /// Runs the model once, writing the named outputs into tensors the caller allocated (ONNX Runtime's
    /// pre-allocated outputs): the result lives in Swift memory, not in ONNX Runtime's arena, so a run that
    /// shrinks the arena leaves none of its regions held by the output.
    /// - Parameters:
    ///   - inputs: one tensor for every model input, by name.
    ///   - outputs: a tensor of the exact shape and element type each named output will have.
    ///   - shrinkingArena: as for ``run(_:outputNames:shrinkingArena:)``.
    /// - Throws: as ``run(_:outputNames:shrinkingArena:)``; ONNX Runtime's error when an output's shape differs.
    public func run(_ inputs: [String: Tensor], into outputs: [String: Tensor], shrinkingArena: Bool = false)
        throws(ORTError)
    {
        let tensors = try orderedInputs(inputs)
        let names = outputs.keys.sorted()
        let outputPositions = try positions(of: names)
        let targets = names.map { outputs[$0]! }
        for (name, tensor) in zip(names, targets) where tensor.library.api != library.api {
            throw ORTError(
                code: .invalidArgument, message: "output '\(name)' was created for ONNX Runtime at \(tensor.library.path)")
        }
        var results: [OpaquePointer?] = targets.map(\.handle)
        let status = try invoke(tensors, outputPositions, &results, shrinkingArena: shrinkingArena)
        withExtendedLifetime(targets) {}
        if let status { throw ORTError(consuming: status, api: library.api) }
    }

    /// One `Run` call; `results` holds nil (ONNX Runtime allocates) or a caller's tensor per output.
    private func invoke(
        _ tensors: [Tensor], _ outputPositions: [Int], _ results: inout [OpaquePointer?], shrinkingArena: Bool
    ) throws(ORTError) -> OpaquePointer? {
        var runOptions: OpaquePointer?
        if shrinkingArena, options.cpuMemoryArena, executionProvider.kind == .cpu {
            try library.check(library.api.pointee.CreateRunOptions(&runOptions))
        }
        defer { if let runOptions { library.api.pointee.ReleaseRunOptions(runOptions) } }
        if let runOptions {
            try library.check(
                library.api.pointee.AddRunConfigEntry(runOptions, "memory.enable_memory_arena_shrinkage", "cpu:0"))
        }
        let values = tensors.map(\.handle)
        let names = outputPositions.map { outputNames[$0] }
        return withExtendedLifetime(tensors) {
            values.withUnsafeBufferPointer { values in
                names.withUnsafeBufferPointer { names in
                    results.withUnsafeMutableBufferPointer { results in
                        library.api.pointee.Run(
                            handle,
                            runOptions,
                            inputNames.baseAddress,
                            values.baseAddress,
                            values.count,
                            names.baseAddress!,
                            names.count,
                            results.baseAddress!
                        )
                    }
                }
            }
        }
    }

    /// The tensors in the model's input order, after checking the names match the model's inputs exactly.
    private func orderedInputs(_ inputs: [String: Tensor]) throws(ORTError) -> [Tensor] {
        let known = self.inputs.map(\.name)
        if let unknown = inputs.keys.sorted().first(where: { !known.contains($0) }) {
            throw ORTError(
                code: .invalidArgument,
                message: "unknown input '\(unknown)'; the model's inputs are: \(known.joined(separator: ", "))"
            )
        }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(known.count)
        for name in known {
            guard let tensor = inputs[name] else {
                throw ORTError(
                    code: .invalidArgument,
                    message: "missing input '\(name)'; the model's inputs are: \(known.joined(separator: ", "))"
                )
            }
            // ORT's own message for this names neither the input nor helps a client, so check it here.
            if let expected = self.inputs[tensors.count].elementType, expected != tensor.elementType {
                throw ORTError(
                    code: .invalidArgument,
                    message: "input '\(name)' has element type \(tensor.elementType); the model expects \(expected)"
                )
            }
            guard tensor.library.api == library.api else {
                throw ORTError(
                    code: .invalidArgument,
                    message: "input '\(name)' was created for ONNX Runtime at \(tensor.library.path), "
                        + "but this session runs on \(library.path)"
                )
            }
            tensors.append(tensor)
        }
        return tensors
    }

    /// Positions in `outputs` of the requested names (all outputs when `nil`).
    private func positions(of requested: [String]?) throws(ORTError) -> [Int] {
        guard let requested else { return Array(outputs.indices) }
        guard !requested.isEmpty else {
            throw ORTError(code: .invalidArgument, message: "no outputs requested")
        }
        var result: [Int] = []
        result.reserveCapacity(requested.count)
        for name in requested {
            guard let position = outputIndex[name] else {
                throw ORTError(
                    code: .invalidArgument,
                    message: "unknown output '\(name)'; the model's outputs are: "
                        + outputs.map(\.name).joined(separator: ", ")
                )
            }
            result.append(position)
        }
        return result
    }
}
