import Foundation

/// One method per place the locator looks, in search order; each returns a library or records why it failed.
extension ORTLibraryLocator {
    func searchExplicit(_ search: inout Search) -> ORTLibrary? {
        if let explicitPath {
            if let library = search.load("explicit path", explicitPath) { return library }
        } else {
            search.note("explicit path (--onnxruntime-library)", "not given")
        }
        if let path = environment[Self.environmentVariable], !path.isEmpty {
            return search.load("$\(Self.environmentVariable) =", path)
        }
        search.note("$\(Self.environmentVariable)", "not set")
        return nil
    }

    func searchRepositoryFolders(_ search: inout Search) -> ORTLibrary? {
        let local = Self.join(currentDirectory, ".onnxruntime", Self.libraryFileName)
        if let library = search.load("current directory's .onnxruntime/:", local) { return library }

        guard let executableDirectory else {
            search.note(".onnxruntime/ above the executable", "the executable's location is unknown")
            return nil
        }
        // `make dist`'s layout: the library in lib/ beside the binary.
        let bundled = Self.join(executableDirectory, "lib", Self.libraryFileName)
        if Self.isFile(bundled), let library = search.load("lib/ beside the executable:", bundled) { return library }
        var found = false
        for ancestor in Self.ancestors(of: executableDirectory)
        where Self.isDirectory(Self.join(ancestor, ".onnxruntime")) {
            let path = Self.join(ancestor, ".onnxruntime", Self.libraryFileName)
            guard Self.standardized(path) != Self.standardized(local) else { continue }
            found = true
            if let library = search.load(".onnxruntime/ above the executable:", path) { return library }
        }
        if !found {
            search.note(
                ".onnxruntime/ above the executable",
                "no other .onnxruntime/ folder in \(executableDirectory) or its ancestors"
            )
        }
        return nil
    }

    func searchPython(_ search: inout Search) -> ORTLibrary? {
        if let virtualEnv = environment["VIRTUAL_ENV"], !virtualEnv.isEmpty {
            let libDirectory = Self.join(virtualEnv, "lib")
            let packages = Self.contents(of: libDirectory).filter { $0.hasPrefix("python") }.map {
                Self.join(libDirectory, $0, "site-packages", "onnxruntime")
            }
            let libraries = packages.flatMap(Self.packagedLibraries(in:))
            if libraries.isEmpty {
                search.note(
                    "$VIRTUAL_ENV (\(virtualEnv))",
                    "no onnxruntime/capi/\(Self.libraryFileName)* under lib/python*/site-packages"
                )
            }
            for path in libraries {
                if let library = search.load("$VIRTUAL_ENV's onnxruntime package:", path) { return library }
            }
        } else {
            search.note("$VIRTUAL_ENV", "not set")
        }

        for command in pythonCommands {
            switch Self.pythonPackageDirectory(command: command, timeout: pythonTimeout) {
            case .failure(let reason):
                search.note("`\(command) -c 'import onnxruntime'`", reason.message)
            case .success(let package):
                let libraries = Self.packagedLibraries(in: package)
                if libraries.isEmpty {
                    search.note(
                        "\(command)'s onnxruntime package (\(package))",
                        "no capi/\(Self.libraryFileName)* inside"
                    )
                }
                for path in libraries {
                    if let library = search.load("\(command)'s onnxruntime package:", path) { return library }
                }
            }
        }
        return nil
    }

    func searchSystem(_ search: inout Search) -> ORTLibrary? {
        for name in systemLibraryNames {
            if let library = search.load("system loader path:", name) { return library }
        }
        return nil
    }
}
