/// The earlier name of `SettingSources`, from before the config file: branches written against it
/// (`EnvironmentValue()`, `env.resolve(...)`, `env.environment[...]`) keep compiling after they merge.
typealias EnvironmentValue = SettingSources

extension SettingSources {
    /// Sources with this environment and no config file.
    convenience init(_ environment: [String: String]) {
        self.init(environment: environment, file: nil)
    }
}
