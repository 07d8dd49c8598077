/// Tern's version, reported by `tern --version` and `GET /info`.
public enum TernVersion {
    public static let current = "0.1.0"
}
