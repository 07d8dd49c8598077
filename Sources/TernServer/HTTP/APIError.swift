import Hummingbird

/// An error already in one API's own shape; middleware passes it through untouched.
protocol APIError: HTTPResponseError {}
