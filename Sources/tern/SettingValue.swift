/// One option's raw value as a configuration file or the environment gives it: one value, or a list for
/// the repeatable options (`model`, `api-key`).
enum SettingValue: Equatable {
    case scalar(String)
    case list([String])

    /// The values of a repeatable option: a list, or one value as a list of one.
    var values: [String] {
        switch self {
        case .scalar(let value): [value]
        case .list(let values): values
        }
    }
}
